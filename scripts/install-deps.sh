#!/usr/bin/env bash
# Installs the system libraries GUD links against, when missing:
# OpenBLAS (cblas), LAPACKE, FFTW (double and single precision), zlib, and pkg-config.
# As root it uses apt-get; otherwise it prints the command to run and fails.
set -euo pipefail

packages=(libopenblas-dev liblapacke-dev libfftw3-dev zlib1g-dev pkg-config)

if ! command -v swift >/dev/null 2>&1; then
  echo "error: the Swift toolchain (swift) is not on PATH; install Swift 6.0 or newer from https://swift.org/install" >&2
  exit 1
fi

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    exit 0
  fi
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing system packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "error: missing system packages: ${missing[*]}" >&2
    echo "install them with:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
elif command -v pkg-config >/dev/null 2>&1; then
  for m in openblas lapacke fftw3 fftw3f zlib; do
    if ! pkg-config --exists "$m"; then
      echo "error: pkg-config cannot find '$m'; install OpenBLAS, LAPACKE, FFTW 3 and zlib (e.g. brew install openblas lapack fftw zlib)" >&2
      exit 1
    fi
  done
else
  echo "error: neither dpkg nor pkg-config found; install OpenBLAS, LAPACKE, FFTW 3, zlib and pkg-config with your package manager" >&2
  exit 1
fi
