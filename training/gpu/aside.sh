#!/usr/bin/env bash
# Room for the GPU pack. The device tool sends the checkout's files and the carried pack, 64 MiB in all; the
# committed model files of each build (student.pt 12 MB, the encoders 18 MB) are never read by a device run
# (it trains and exports a new model), so they can leave the working tree for the device calls and come back.
# Usage: bash training/gpu/aside.sh out|back|status   (REPO= another checkout; the default is this one)
set -euo pipefail
REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
ASIDE=$REPO/training/.gpu-aside  # git-ignored
cd "$REPO"
mapfile -t FILES < <(git ls-files -- 'models/student.pt' 'models/*/student.pt' 'models/*_encoder.onnx' 'models/*/*_encoder.onnx')
[[ ${#FILES[@]} -gt 0 ]] || { echo "no committed model files under $REPO/models"; exit 2; }
case "${1:-}" in
  out)
    for f in "${FILES[@]}"; do
      if [[ -f "$f" ]]; then mkdir -p "$ASIDE/$(dirname "$f")"; mv "$f" "$ASIDE/$f"; echo "aside: $f"
      elif [[ -f "$ASIDE/$f" ]]; then echo "already aside: $f"
      else echo "$f is neither in the checkout nor aside (git checkout -- $f restores it)"; exit 3; fi
    done
    echo "now pack (training/gpu/pack.py) and run; afterwards: bash training/gpu/aside.sh back" ;;
  back)
    for f in "${FILES[@]}"; do
      if [[ -f "$ASIDE/$f" ]]; then
        [[ ! -e "$f" ]] || { echo "$f exists in the checkout and aside: left both, compare them"; exit 3; }
        mv "$ASIDE/$f" "$f"; echo "back: $f"
      elif [[ -f "$f" ]]; then echo "in place: $f"
      else echo "$f is missing (git checkout -- $f restores it)"; exit 3; fi
    done
    git diff --quiet -- "${FILES[@]}" || { echo "WARNING: a model file differs from the committed one"; exit 4; } ;;
  status)
    for f in "${FILES[@]}"; do
      if [[ -f "$f" ]]; then echo "in place: $f"; elif [[ -f "$ASIDE/$f" ]]; then echo "aside: $f"; else echo "missing: $f"; fi
    done ;;
  *) echo "usage: bash training/gpu/aside.sh out|back|status"; exit 2 ;;
esac
