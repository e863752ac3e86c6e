#!/usr/bin/env bash
# Experiment 3 — Fourier basis whitened by the power spectrum, soft conditioning ordered by frequency
# variance, one γ-conditioned network over a = 1/s ~ U[0.4, 1.6], evaluated at a ∈ {0.4, 0.7, 1.0, 1.3, 1.6}.
# Configuration: experiments/configs/fourier.json (2,400 steps, about 8 minutes) + about 8 minutes of evaluation.
source "$(dirname "$0")/common.sh"
build; need_mnist_train
dir="$out/fourier"
train "$dir" fourier
for a in 0.4 0.7 1.0 1.3 1.6; do
    evaluate "$dir" "a$a" --softness "$(inverse "$a")"
done
