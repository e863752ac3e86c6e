# Shared definitions of the experiment scripts (sourced, not run).
#
# Environment:
#   GUD_MINUTES      safety bound on each run's training time in minutes (default 15; the configurations'
#                    step counts take 4–8 minutes on 2 quiet cores)
#   GUD_SAMPLES      samples per evaluated setting for the Fréchet distance (default 256)
#   GUD_NLL_IMAGES   MNIST test images per bits/dim evaluation (default 64)
#   GUD_MNIST_TRAIN  the MNIST training images (default ../shared/data/mnist/train-images-idx3-ubyte.gz)
#   GUD_TEXTURES     the directory of the texture images (default ../shared/data/textures)
#   GUD_OUT          where runs and results go (default runs/experiments)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
samples="${GUD_SAMPLES:-256}"
nll_images="${GUD_NLL_IMAGES:-64}"
mnist_train="${GUD_MNIST_TRAIN:-$repo/../shared/data/mnist/train-images-idx3-ubyte.gz}"
textures="${GUD_TEXTURES:-$repo/../shared/data/textures}"
out="${GUD_OUT:-runs/experiments}"
gud=.build/release/gud
minutes="${GUD_MINUTES:-15}"
configs=experiments/configs

# Builds the CLI once per script (release mode; the system packages must be installed: scripts/install-deps.sh).
build() {
    swift build -c release --product gud >/dev/null
}

# Checks that the MNIST training split is there (the experiments train on it and evaluate on the bundled test split).
need_mnist_train() {
    if [[ ! -f "$mnist_train" ]]; then
        echo "error: the MNIST training images are not at $mnist_train; set GUD_MNIST_TRAIN to train-images-idx3-ubyte(.gz)" >&2
        exit 1
    fi
}

# train DIR CONFIG: trains the configuration experiments/configs/CONFIG.json on the MNIST training split.
train() {
    local dir=$1 config=$2
    "$gud" train --output "$dir" --overwrite --max-minutes "$minutes" --config "$configs/$config.json" \
        --dataset idx --data-path "$mnist_train"
}

# evaluate DIR NAME [--softness S] [--column-softness C]: samples and quality (Fréchet distance against the
# bundled MNIST test split) and bits/dim of the first GUD_NLL_IMAGES test images, as JSON in DIR/eval-NAME-*.json.
evaluate() {
    local dir=$1 name=$2; shift 2
    "$gud" sample --run "$dir" --count "$samples" --output "$dir/samples-$name" --trajectory 1,0.9,0.8,0.7,0.6,0.5,0.4,0.2,0 "$@"
    "$gud" quality --samples "$dir/samples-$name.npy" --json "$dir/eval-$name-quality.json"
    "$gud" likelihood --run "$dir" --dataset mnist --count "$nll_images" --json "$dir/eval-$name-likelihood.json" "$@"
}

# inverse A: the softness s = 1/a of the paper's a.
inverse() {
    awk -v a="$1" 'BEGIN { printf "%.6g\n", 1 / a }'
}
