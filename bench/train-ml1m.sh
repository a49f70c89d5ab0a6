#!/usr/bin/env bash
# Trains the sequence models on ML-1M the way BENCHMARKS.md reports them, into $TIDE_RUNS
# (default ../runs, outside the repository). Each run checkpoints every epoch: after an
# interruption, the same command with --resume continues; `--resume --epochs <epochs done>`
# ends a run early on its best epoch so far and saves the model.
# RUNS="gru-ml1m lstm-warm-ml1m" picks runs (in this order: later ones start from earlier ones).
# Then: TIDE_RUNS=... npm run bench -- neural
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS_DIR=${TIDE_RUNS:-../runs}
mkdir -p "$RUNS_DIR"
npm run build
common=(--data ../shared/data/ml-1m --loss sampled-ce --negatives 1024 --epochs 200 --patience 6)
valid='"validUsers": 3000'
# The fused model's SASRec layers held where its warm start left them: only the short-term branch and gate learn.
frozen_long='"freeze": ["item_embedding", "position_embedding", "block", "final_ln"]'
# run name -> family | learning rate | model config | extra flags.
# Learning rates: 0.002 for the attention models; the recurrent ones learned far slower at 0.002 from
# scratch (GRU valid NDCG@10 0.028 after 7 epochs, SASRec 0.088), so they get 0.005, then fine-tune at
# 0.001. Warm starts (--init-from) copy every weight of the same name and shape: the fused model starts
# from SASRec (its short-term branch and gate fresh, the gate at a ≈ 0.02; from scratch it only kept
# level with SASRec epoch for epoch at twice the cost), the LSTM from the fine-tuned GRU's item and
# output tables, the facets from SASRec's item embeddings. The later fine-tunes lower dropout to 0.1
# (as the SASRec+ reference), train on every event (--windows all), or change how the facets are
# mixed while training (routing); the -fce runs switch to the full softmax (the SASRec+ reference's
# loss), and sasrec-ref is that reference's recipe from scratch (N(0, 0.02) initialisation, dropout 0.1,
# full softmax, lr 0.001); the -tw runs weigh every target the same ("weighting": "target"); the n2tw
# runs are the fastest recipe found from scratch: N(0, 0.02) initialisation, full
# softmax, target weighting, lr 0.002 and dropout 0.2, then a fine-tune at lr 0.001 decaying linearly
# to 0 ("schedule": "linear"); -b32 / -b64 are batches of 32 / 64 (more steps at the same seconds per
# epoch), -d128 the embedding width 128 (twice the seconds per epoch). An
# --epochs in the extra flags overrides the common one: those runs were ended there by hand
# (`--resume --epochs N`) or capped from the start. sasrec-ft and tide-warm started from a copy of
# sasrec-ml1m's weights at epoch 44, taken while it ran; from the finished run they start 7 epochs
# later.
declare -A run=(
  [sasrec-ml1m]="sasrec|0.002|{$valid}|--epochs 51"
  [sasrec-ft-ml1m]="sasrec|0.001|{$valid}|--init-from $RUNS_DIR/sasrec-ml1m"
  [sasrec-d01-ml1m]="sasrec|0.001|{$valid, \"dropout\": 0.1}|--init-from $RUNS_DIR/sasrec-ft-ml1m --patience 8 --epochs 23"
  [sasrec-fce-ml1m]="sasrec|0.001|{$valid, \"dropout\": 0.1}|--init-from $RUNS_DIR/sasrec-d01-ml1m --loss full-ce --patience 8 --epochs 40"
  [sasrec-fce2-ml1m]="sasrec|0.0003|{$valid, \"dropout\": 0.1}|--init-from $RUNS_DIR/sasrec-fce-ml1m --loss full-ce --patience 4 --epochs 20"
  [sasrec-ref-ml1m]="sasrec|0.001|{$valid, \"dropout\": 0.1, \"init\": \"normal\"}|--loss full-ce --patience 10 --epochs 100"
  [sasrec-tw-ml1m]="sasrec|0.001|{$valid, \"dropout\": 0.1, \"init\": \"normal\", \"weighting\": \"target\"}|--loss full-ce --patience 10 --epochs 100"
  [sasrec-fcetw-ml1m]="sasrec|0.001|{$valid, \"dropout\": 0.1, \"weighting\": \"target\"}|--init-from $RUNS_DIR/sasrec-fce-ml1m --loss full-ce --patience 4 --epochs 20"
  [sasrec-n2tw-ml1m]="sasrec|0.002|{$valid, \"init\": \"normal\", \"weighting\": \"target\"}|--loss full-ce --patience 8 --epochs 19"
  [sasrec-n2tw-b64-ml1m]="sasrec|0.002|{$valid, \"init\": \"normal\", \"weighting\": \"target\"}|--loss full-ce --patience 8 --batch-size 64 --epochs 23"
  [sasrec-n2tw-ft-ml1m]="sasrec|0.001|{$valid, \"dropout\": 0.1, \"weighting\": \"target\"}|--init-from $RUNS_DIR/sasrec-n2tw-ml1m --loss full-ce --patience 6 --epochs 8"
  [sasrec-n2tw-b32-ml1m]="sasrec|0.002|{$valid, \"init\": \"normal\", \"weighting\": \"target\"}|--loss full-ce --patience 8 --batch-size 32 --epochs 14"
  [sasrec-n2tw-b32-ft-ml1m]="sasrec|0.001|{$valid, \"dropout\": 0.1, \"weighting\": \"target\", \"schedule\": \"linear\"}|--init-from $RUNS_DIR/sasrec-n2tw-b32-ml1m --loss full-ce --patience 6 --batch-size 32 --epochs 12"
  [sasrec-n2tw-b32-d128-ml1m]="sasrec|0.002|{$valid, \"dim\": 128, \"init\": \"normal\", \"weighting\": \"target\"}|--loss full-ce --patience 8 --batch-size 32 --epochs 12"
  [sasrec-n2tw-b32-d128-ft-ml1m]="sasrec|0.001|{$valid, \"dim\": 128, \"dropout\": 0.1, \"weighting\": \"target\", \"schedule\": \"linear\"}|--init-from $RUNS_DIR/sasrec-n2tw-b32-d128-ml1m --loss full-ce --patience 6 --batch-size 32 --epochs 14"
  [tide-n2tw-b32-ft-frozen-ml1m]="fused|0.001|{$valid, \"fromSasRec\": false, \"gateBiasInit\": 4, \"longTerm\": {\"dropout\": 0.1}, $frozen_long, \"weighting\": \"target\"}|--init-from $RUNS_DIR/sasrec-n2tw-b32-ft-ml1m --loss full-ce --batch-size 32 --epochs 4 --patience 2"
  [tide-n2tw-b32-d128-ft-frozen-ml1m]="fused|0.001|{$valid, \"fromSasRec\": false, \"gateBiasInit\": 4, \"longTerm\": {\"dim\": 128, \"dropout\": 0.1}, $frozen_long, \"weighting\": \"target\"}|--init-from $RUNS_DIR/sasrec-n2tw-b32-d128-ft-ml1m --loss full-ce --batch-size 32 --epochs 4 --patience 2"
  [facets-n2tw-b32-d128-ft-frozen-ml1m]="facets|0.001|{$valid, \"fromSasRec\": false, \"facets\": 4, \"sasrec\": {\"dim\": 128, \"dropout\": 0.1}, $frozen_long, \"weighting\": \"target\"}|--init-from $RUNS_DIR/sasrec-n2tw-b32-d128-ft-ml1m --loss full-ce --batch-size 32 --epochs 4 --patience 2"
  [sasrec-n2tw-b32-d128-ft2-ml1m]="sasrec|0.0003|{$valid, \"dim\": 128, \"dropout\": 0.1, \"weighting\": \"target\", \"schedule\": \"linear\"}|--init-from $RUNS_DIR/sasrec-n2tw-b32-d128-ft-ml1m --loss full-ce --patience 4 --batch-size 32 --epochs 4"
  [tide-n2tw-b32-d128-ft2-ml1m]="fused|0.0003|{$valid, \"fromSasRec\": false, \"gateBiasInit\": -4, \"longTerm\": {\"dim\": 128, \"dropout\": 0.1}, \"weighting\": \"target\", \"schedule\": \"linear\"}|--init-from $RUNS_DIR/sasrec-n2tw-b32-d128-ft-ml1m --loss full-ce --patience 4 --batch-size 32 --epochs 4"
  [gru-ml1m]="gru|0.005|{$valid}|"
  [gru-fce-ml1m]="gru|0.0005|{$valid, \"dropout\": 0.1}|--init-from $RUNS_DIR/gru-d01-ml1m --windows all --loss full-ce --patience 4 --epochs 12"
  [gru-ft-ml1m]="gru|0.001|{$valid}|--init-from $RUNS_DIR/gru-ml1m --epochs 15"
  [gru-win-ml1m]="gru|0.001|{$valid}|--init-from $RUNS_DIR/gru-ft-ml1m --windows all --epochs 10"
  [gru-d01-ml1m]="gru|0.0005|{$valid, \"dropout\": 0.1}|--init-from $RUNS_DIR/gru-win-ml1m --windows all"
  [tide-warm-ml1m]="fused|0.001|{$valid, \"fromSasRec\": false, \"gateBiasInit\": -4}|--init-from $RUNS_DIR/sasrec-ml1m"
  [tide-d01-ml1m]="fused|0.001|{$valid, \"fromSasRec\": false, \"gateBiasInit\": -4, \"longTerm\": {\"dropout\": 0.1}}|--init-from $RUNS_DIR/tide-warm-ml1m --patience 8"
  [tide-sd01-ml1m]="fused|0.001|{$valid, \"fromSasRec\": false, \"gateBiasInit\": -4, \"longTerm\": {\"dropout\": 0.1}}|--init-from $RUNS_DIR/sasrec-d01-ml1m --epochs 4"
  [tide-frozen-ml1m]="fused|0.001|{$valid, \"fromSasRec\": false, \"gateBiasInit\": -4, \"longTerm\": {\"dropout\": 0.1}, $frozen_long}|--init-from $RUNS_DIR/sasrec-d01-ml1m --epochs 4 --patience 2"
  [tide-fce-frozen-ml1m]="fused|0.001|{$valid, \"fromSasRec\": false, \"gateBiasInit\": -4, \"longTerm\": {\"dropout\": 0.1}, $frozen_long}|--init-from $RUNS_DIR/sasrec-fce-ml1m --loss full-ce --epochs 4 --patience 2"
  [tide-fcetw-frozen-ml1m]="fused|0.001|{$valid, \"fromSasRec\": false, \"gateBiasInit\": -4, \"longTerm\": {\"dropout\": 0.1}, $frozen_long, \"weighting\": \"target\"}|--init-from $RUNS_DIR/sasrec-fcetw-ml1m --loss full-ce --epochs 4 --patience 2"
  [lstm-warm-ml1m]="lstm|0.002|{$valid}|--init-from $RUNS_DIR/gru-ft-ml1m"
  [lstm-ft-ml1m]="lstm|0.0005|{$valid}|--init-from $RUNS_DIR/lstm-warm-ml1m --epochs 15 --patience 4"
  [facets-rec-ml1m]="facets|0.002|{$valid, \"sasrec\": null}|--init-from $RUNS_DIR/sasrec-ml1m --epochs 48"
  [facets-soft-ml1m]="facets|0.001|{$valid, \"sasrec\": null, \"routing\": \"soft\"}|--init-from $RUNS_DIR/facets-rec-ml1m --epochs 30"
  [facets-mixed-ml1m]="facets|0.001|{$valid, \"sasrec\": null, \"routing\": \"mixed\"}|--init-from $RUNS_DIR/facets-rec-ml1m --epochs 30"
  [facets-frozen-ml1m]="facets|0.001|{$valid, \"sasrec\": null, \"routing\": \"soft\", \"freeze\": [\"facets/attention\", \"facets/recency\"]}|--init-from $RUNS_DIR/facets-rec-ml1m --epochs 18"
)
for name in ${RUNS:-sasrec-ml1m sasrec-ft-ml1m sasrec-d01-ml1m sasrec-fce-ml1m sasrec-fce2-ml1m sasrec-ref-ml1m
  sasrec-tw-ml1m sasrec-fcetw-ml1m sasrec-n2tw-ml1m sasrec-n2tw-b64-ml1m sasrec-n2tw-ft-ml1m
  sasrec-n2tw-b32-ml1m sasrec-n2tw-b32-ft-ml1m sasrec-n2tw-b32-d128-ml1m sasrec-n2tw-b32-d128-ft-ml1m
  tide-n2tw-b32-ft-frozen-ml1m tide-n2tw-b32-d128-ft-frozen-ml1m facets-n2tw-b32-d128-ft-frozen-ml1m
  sasrec-n2tw-b32-d128-ft2-ml1m
  tide-n2tw-b32-d128-ft2-ml1m
  gru-ml1m gru-ft-ml1m gru-win-ml1m gru-d01-ml1m tide-warm-ml1m
  tide-d01-ml1m tide-sd01-ml1m tide-frozen-ml1m tide-fce-frozen-ml1m tide-fcetw-frozen-ml1m
  gru-fce-ml1m lstm-warm-ml1m lstm-ft-ml1m facets-rec-ml1m facets-soft-ml1m facets-mixed-ml1m
  facets-frozen-ml1m}; do
  IFS='|' read -r family lr config extra <<< "${run[$name]}"
  # shellcheck disable=SC2086
  node dist/cli/main.js train "${common[@]}" --model-config "$config" --lr "$lr" --model "$family" \
    --out "$RUNS_DIR/$name" $extra --json "$@" > "$RUNS_DIR/$name.json" 2> "$RUNS_DIR/$name.log"
done
