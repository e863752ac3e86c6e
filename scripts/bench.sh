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
