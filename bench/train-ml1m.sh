#!/usr/bin/env bash
# Trains the sequence models on ML-1M the way BENCHMARKS.md reports them, into $TIDE_RUNS
# (default ../runs, outside the repository). Each run checkpoints every epoch: after an
# interruption, the same command with --resume continues; `--resume --epochs <epochs done>`
# ends a run early on its best epoch so far and saves the model.
# Then: TIDE_RUNS=... npm run bench -- neural
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${TIDE_RUNS:-../runs}
mkdir -p "$RUNS"
npm run build
common=(--data ../shared/data/ml-1m --loss sampled-ce --negatives 1024 --epochs 200 --patience 6)
# learning rates: 0.002 for the attention models; the recurrent ones learned far slower at 0.002
# (GRU valid NDCG@10 0.028 after 7 epochs, SASRec 0.088), so they get 0.005
declare -A lr=([sasrec]=0.002 [tide]=0.001 [facets]=0.002 [gru]=0.005 [lstm]=0.005)
# the fused model starts from the trained SASRec (the layers they share; the short-term branch and the
# gate start fresh, the gate at a ≈ 0.02) and fine-tunes everything at a lower rate: trained from
# scratch it only kept level with SASRec epoch for epoch, at twice the cost per epoch
declare -A extra=([tide]="--init-from $RUNS/sasrec-ml1m")
declare -A config=([tide]='{"validUsers": 3000, "gateBiasInit": -4}')
default_config='{"validUsers": 3000}'
for family in ${FAMILIES:-sasrec gru tide lstm}; do
  # shellcheck disable=SC2086
  node dist/cli/main.js train "${common[@]}" --model-config "${config[$family]:-$default_config}" \
    --lr "${lr[$family]}" --model "$family" --out "$RUNS/$family-ml1m" ${extra[$family]:-} \
    --json "$@" > "$RUNS/$family-ml1m.json" 2> "$RUNS/$family-ml1m.log"
done
