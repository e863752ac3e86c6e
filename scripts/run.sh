#!/usr/bin/env bash
# The main job: installs missing system packages, builds in release mode, trains a U-Net on the bundled
# MNIST test split in a whitened Fourier basis with a soft-conditioning schedule for a bounded time, then
# draws a sample grid and a trajectory picture and measures the samples' quality.
#
# Environment: GUD_RUN (run directory, default runs/main), GUD_MINUTES (training time bound, default 6).
# Extra arguments are passed to `gud train` (e.g. --steps 500 --seed 1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product gud
gud=.build/release/gud
run="${GUD_RUN:-runs/main}"
minutes="${GUD_MINUTES:-6}"

"$gud" train --output "$run" --overwrite --max-minutes "$minutes" "$@"
"$gud" sample --run "$run" --count 64 --output "$run/samples" --trajectory 1,0.9,0.8,0.7,0.6,0.5,0.4,0.2,0
"$gud" quality --samples "$run/samples.npy"
echo "pictures: $run/samples.png (64 samples), $run/samples-trajectory.png (t from 1 to 0, left to right)"
