#!/usr/bin/env bash
# Experiment 1 — baseline: standard diffusion in pixel space (unwhitened, scalar linear γ from −13.3 to 5).
# Configuration: experiments/configs/baseline.json (2,400 steps of the big U-Net, about 8 minutes) + 2 minutes of evaluation.
source "$(dirname "$0")/common.sh"
build; need_mnist_train
dir="$out/baseline"
train "$dir" baseline
evaluate "$dir" standard
