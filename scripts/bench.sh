#!/usr/bin/env bash
# The benchmark suite: release build, then every benchmark, each writing its table to the terminal
# and its JSON report into the output directory; cases whose peak RSS matters run in their own
# process. A summary of all reports ends the run.
#
# Usage: scripts/bench.sh [output-directory] [repeats]   (defaults: .build/bench, 1)
# With repeats > 1 the whole suite runs that many times, into <output-directory>/run-1, run-2, …,
# and the summary shows every case's range of medians over the runs next to the range of the
# same-run sgemm baselines (the machine may be shared: compare within a run, report ranges).
# Threads: every benchmark uses all cores unless BENCH_THREADS is set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
out="${1:-.build/bench}"
repeats="${2:-1}"
threads=(--threads "${BENCH_THREADS:-$(nproc)}")
swift build -c release
bin=.build/release

run_suite() {
  local dir="$1"
  mkdir -p "$dir"
  "$bin/gud-bench-gemm" "${threads[@]}" --json "$dir/gemm.json"
  # One process per network case and for the sampling case, so that each peak RSS is its own.
  for c in unet_small_train_b64 unet_big_train_b64 mlp_train_b256_d64 unet_small_forward_b16; do
    "$bin/gud-bench-nn" "${threads[@]}" --case "$c" --json "$dir/nn-$c.json"
  done
  "$bin/gud-bench-sampler" "${threads[@]}" --case sample_unet_small_16x100 --json "$dir/sampling.json"
  "$bin/gud-bench-sampler" "${threads[@]}" --case em_100_steps_fourier_16x28x28 --case heun_100_steps_fourier_16x28x28 \
    --case step_schedule_784 --case step_white_noise_16x784 --case step_em_update_16x784 \
    --case step_datawhite_roundtrip_16x784 --json "$dir/sampler-overhead.json"
  "$bin/gud-bench-transforms" "${threads[@]}" --json "$dir/transforms.json"
  "$bin/gud-bench-likelihood" "${threads[@]}" --json "$dir/likelihood.json"
  "$bin/gud-bench-scaling" "${threads[@]}" --json "$dir/scaling.json"
}

if [ "$repeats" -le 1 ]; then
  run_suite "$out"
  "$bin/gud-bench-summary" "$out"
else
  dirs=()
  for r in $(seq 1 "$repeats"); do
    echo "== suite run $r of $repeats =="
    run_suite "$out/run-$r"
    dirs+=("$out/run-$r")
  done
  "$bin/gud-bench-summary" "${dirs[@]}"
fi
