#!/usr/bin/env bash
# Builds in release mode and runs every benchmark executable, writing JSON next to the tables.
# Usage: scripts/bench.sh [output-directory]   (default: .build/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
out="${1:-.build/bench}"
mkdir -p "$out"
swift build -c release --product gud-bench-gemm
swift build -c release --product gud-bench-sampler
.build/release/gud-bench-gemm --json "$out/gemm.json"
.build/release/gud-bench-sampler --json "$out/sampler.json"
swift build -c release --product gud-bench-nn
# One process per case, so that each peak RSS figure belongs to that case alone.
for c in unet_small_train_b64 unet_big_train_b64 mlp_train_b256_d64 unet_small_forward_b16; do
  .build/release/gud-bench-nn --case "$c" --json "$out/nn-$c.json"
done
