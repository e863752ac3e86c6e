#!/usr/bin/env bash
# Experiment 5 — wavelet + column (paper §5.3): Haar with 2 levels on 28×28, soft conditioning across
# levels with one softness and across columns with another, one γ-conditioned network trained over the
# family (level a and column a each ~ U[0.4, 1.6]); bits/dim over a 3×3 grid of the two softnesses,
# samples at the grid's centre and corners.
# Configuration: experiments/configs/wavelet.json (2,400 steps, about 8 minutes) + about 10 minutes of evaluation.
source "$(dirname "$0")/common.sh"
build; need_mnist_train
dir="$out/wavelet"
train "$dir" wavelet
for a in 0.4 1.0 1.6; do
    for c in 0.4 1.0 1.6; do
        s=$(inverse "$a"); cs=$(inverse "$c")
        "$gud" likelihood --run "$dir" --dataset mnist --count "$nll_images" --softness "$s" --column-softness "$cs" \
            --json "$dir/eval-level$a-column$c-likelihood.json"
    done
done
evaluate "$dir" level1.0-column1.0 --softness 1 --column-softness 1
