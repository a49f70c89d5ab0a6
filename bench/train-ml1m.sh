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
common=(--data ../shared/data/ml-1m --loss sampled-ce --negatives 1024 --epochs 200 --patience 6
  --model-config '{"validUsers": 3000}')
# learning rates: 0.002 for the attention models; the recurrent ones learned far slower at 0.002
# (GRU valid NDCG@10 0.028 after 7 epochs, SASRec 0.088), so they get 0.005
declare -A lr=([sasrec]=0.002 [tide]=0.002 [facets]=0.002 [gru]=0.005 [lstm]=0.005)
for family in ${FAMILIES:-sasrec gru tide lstm}; do
  node dist/cli/main.js train "${common[@]}" --lr "${lr[$family]}" --model "$family" --out "$RUNS/$family-ml1m" \
    --json "$@" > "$RUNS/$family-ml1m.json" 2> "$RUNS/$family-ml1m.log"
done
