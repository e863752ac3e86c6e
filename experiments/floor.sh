#!/usr/bin/env bash
# The Fréchet distance of real images at the experiments' sample count: GUD_SAMPLES images of the MNIST
# training split against the bundled test split, for three disjoint draws. This is the floor a perfect
# generator would reach at that count (the distance is biased upwards at small counts). Needs python3 with numpy.
source "$(dirname "$0")/common.sh"
build; need_mnist_train
mkdir -p "$out/floor"
for draw in 0 1 2; do
    python3 - "$mnist_train" "$samples" "$draw" "$out/floor/real-$draw.npy" <<'PY'
import gzip, sys, numpy as np
path, n, draw, target = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
raw = (gzip.open if path.endswith(".gz") else open)(path, "rb").read()
images = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 28, 28)
np.save(target, (images[draw * n:(draw + 1) * n].astype(np.float32) / 255 * 2 - 1))
PY
    "$gud" quality --samples "$out/floor/real-$draw.npy" --json "$out/floor/real-$draw-quality.json"
done
