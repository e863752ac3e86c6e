#!/usr/bin/env bash
# Every experiment in turn (about 2 hours on 2 quiet cores), then the forward-noising figure, the training
# curves and the result tables (experiments/tables.py → runs/experiments/tables.md).
source "$(dirname "$0")/common.sh"
build
experiments/floor.sh
experiments/baseline.sh
experiments/fourier.sh
experiments/pca.sh
experiments/wavelet.sh
experiments/columns.sh
"$gud" noise --paper-figure --output "$out/forward-noising.png"
"$gud" losses --output "$out/losses-mnist.svg" --run "$out/baseline" --run "$out/pca-whitened" --run "$out/pca-unwhitened" \
    --run "$out/fourier" --run "$out/columns-mnist-s1.4286" --run "$out/columns-mnist-s2" --run "$out/wavelet"
python3 experiments/tables.py "$out" > "$out/tables.md"
echo "tables: $out/tables.md"
