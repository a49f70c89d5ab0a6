#!/bin/sh
# Makes sure Debian's PyTorch is installed and runs on OpenBLAS (pthread), for the reference step in
# bench/torch/sasrec_step.py. Idempotent: installs python3-torch and libopenblas0-pthread with apt-get
# only when /usr/bin/python3 cannot import torch or OpenBLAS is missing, then points the BLAS/LAPACK alternatives at
# openblas-pthread when they point elsewhere. Says what it did on stdout. Benchmarks only: never part
# of Tide's dependencies or CI. Needs root (or sudo) when there is something to change.
# Usage: sh bench/torch/ensure-torch.sh
set -eu

PYTHON=/usr/bin/python3 # Debian's interpreter: python3-torch lives in its dist-packages, not pyenv's
SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi

if "$PYTHON" -c 'import torch' 2>/dev/null && dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "ensure-torch: torch importable by $PYTHON; libopenblas0-pthread installed"
else
  echo "ensure-torch: installing python3-torch libopenblas0-pthread"
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y python3-torch libopenblas0-pthread; then
    $SUDO apt-get update
    $SUDO apt-get install -y python3-torch libopenblas0-pthread
  fi
fi

ARCH=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_config_var("MULTIARCH"))')
for LINK in libblas.so.3 liblapack.so.3 libopenblas.so.0; do
  NAME="$LINK-$ARCH"
  WANTED=$(update-alternatives --list "$NAME" 2>/dev/null | grep '/openblas-pthread/' || true)
  if [ -z "$WANTED" ]; then
    echo "ensure-torch: no openblas-pthread alternative for $NAME (is libopenblas0-pthread installed?)" >&2
    exit 1
  fi
  CURRENT=$(readlink -f "/etc/alternatives/$NAME" || true)
  if [ "$CURRENT" = "$(readlink -f "$WANTED")" ]; then
    echo "ensure-torch: $NAME -> $WANTED"
  else
    echo "ensure-torch: $NAME was ${CURRENT:-unset}; setting $WANTED"
    $SUDO update-alternatives --set "$NAME" "$WANTED"
  fi
done
