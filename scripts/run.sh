#!/usr/bin/env bash
# The main job: installs missing system packages, builds in release mode and runs the demonstration
# on the bundled default data. Extra arguments are passed to the `gud` command.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product gud
exec .build/release/gud demo "$@"
