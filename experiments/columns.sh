#!/usr/bin/env bash
# Experiment 4 — column-wise generation and image extension (paper §5.2): pixel basis, the column schedule
# (sequential offsets) at the paper's two softnesses 0.3 and 0.5, read as the fraction of the time during
# which a column is being noised: τ_max = 1 − 0.3 and 1 − 0.5, our softness s = 1/τ_max = 1.4286 and 2.
# MNIST (bits/dim, samples, extension to 56 px) and 32×32 crops of the stationary textures (extension to 96 px).
# Configurations: experiments/configs/columns-mnist-s{1.4286,2}.json (1,800 steps each, about 6 minutes) and
# columns-texture.json (900 steps on 32×32 crops, about 4 minutes per texture) + evaluation: about 30 minutes.
source "$(dirname "$0")/common.sh"
build; need_mnist_train
for s in 1.4286 2; do
    dir="$out/columns-mnist-s$s"
    train "$dir" "columns-mnist-s$s"
    evaluate "$dir" column
    "$gud" extend --run "$dir" --width 56 --count 8 --output "$dir/extended"
done
for texture in brick grass; do
    dir="$out/columns-$texture"
    "$gud" train --output "$dir" --overwrite --max-minutes "$minutes" --config "$configs/columns-texture.json" \
        --dataset idx --data-path "$textures/$texture-512x512-idx2-ubyte.gz" --crop-size 32 --crop-count 4096
    "$gud" sample --run "$dir" --count 16 --output "$dir/samples"
    "$gud" extend --run "$dir" --width 96 --count 4 --output "$dir/extended"
done
