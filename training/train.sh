#!/usr/bin/env bash
# One command: prepare data (decode via the extension's decoder, teacher features) + train + export to models/.
# Usage: bash training/train.sh [--data ../shared/data] [--minutes 20] [other sketchsearch.train options]
# Needs Debian python3-torch/torchvision/onnx/numpy/pil (/usr/bin/python3), node + npx tsx, the icon corpora
# (bash scripts/fetch-corpora.sh) and ../shared. Intermediate files go to training/.work/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")"
DATA=../../shared/data
TEACHER=../../shared/models/teacher
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) DATA="$2"; shift 2 ;;
    --teacher-dir) TEACHER="$2"; ARGS+=("$1" "$2"); shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
start=$(date +%s)
/usr/bin/python3 -m sketchsearch.prepare --data "$DATA" --teacher "$TEACHER"
/usr/bin/python3 -m sketchsearch.train "${ARGS[@]}"
echo "train.sh total wall time: $(( $(date +%s) - start ))s"
