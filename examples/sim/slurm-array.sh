#!/bin/bash
# chain-peer sim on Slurm: a job array of 8 tasks, each running one share (--shard-count 8, the
# share from SLURM_ARRAY_TASK_ID) of 40 seeds of the selfish-mining scenario. Merge them with:
#   chain-peer sim merge results/shard-*.jsonl --plot selfish.svg
#SBATCH --job-name=chain-sim
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=12:00:00
#SBATCH --output=chain-sim-%A_%a.log
set -euo pipefail
mkdir -p results
out="results/shard-${SLURM_ARRAY_TASK_ID}"
# Written to a temporary name and renamed, so that a shard cut short is never taken for a whole one.
npx --yes chain-peer sim selfish --alpha 0.3 --gamma 0.5 --blocks 10000 --seeds 40 \
  --shard-count 8 --jobs "${SLURM_CPUS_PER_TASK}" > "${out}.part"
mv "${out}.part" "${out}.jsonl"
