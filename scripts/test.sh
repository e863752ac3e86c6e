#!/usr/bin/env bash
# Runs the test suite: installs missing system packages, then `swift test` with OpenBLAS pinned to
# one thread so that results are reproducible.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export OPENBLAS_NUM_THREADS=1
exec swift test "$@"
