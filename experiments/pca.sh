#!/usr/bin/env bash
# Experiment 2 — PCA basis, whitened and unwhitened prior, softness sweep (paper §5.1).
# Two runs (one per prior), each one γ-conditioned network trained over the family a = 1/s ~ U[0.4, 1.6]
# with soft conditioning ordered by PCA variance; each evaluated at a ∈ {0.4, 0.7, 1.0, 1.3, 1.6}.
# Configurations: experiments/configs/pca-{whitened,unwhitened}.json (2,400 steps each, about 8 minutes)
# + about 1.5 minutes of evaluation per setting: about 32 minutes in all.
source "$(dirname "$0")/common.sh"
build; need_mnist_train
for prior in whitened unwhitened; do
    dir="$out/pca-$prior"
    train "$dir" "pca-$prior"
    for a in 0.4 0.7 1.0 1.3 1.6; do
        evaluate "$dir" "a$a" --softness "$(inverse "$a")"
    done
done
