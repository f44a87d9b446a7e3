#!/usr/bin/env bash
# One command: prepare data (decode via the extension's decoder, teacher features) + train + export to models/.
# Usage: bash training/train.sh [--data ../shared/data] [sketchsearch.train options]
#   Without train options it trains the shipped configuration (student-v5-m05-d5views, models/MODEL_CARD.md) into models/.
# Needs Debian python3-torch/torchvision/onnx/numpy/pil (/usr/bin/python3), node + npx tsx, the icon corpora
# (bash scripts/fetch-corpora.sh) and ../shared. Intermediate files go to training/.work/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")"
DATA=../../shared/data
TEACHER=../../shared/models/teacher
ARGS=(); USER_OPTS=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) DATA="$2"; shift 2 ;;
    --teacher-dir) TEACHER="$2"; ARGS+=("$1" "$2"); shift 2 ;;
    *) ARGS+=("$1"); USER_OPTS=1; shift ;;
  esac
done
# The shipped model's configuration (= training/ablate.sh variant edgealign-m05, 825 steps, exported to models/
# with the sketch encoder's test-time views: as drawn and 5x5-dilated ink, each also mirrored).
SHIPPED=(--schedule-steps 825 --eval-every 0 --freeze-stem 7 --n-qd 24 --n-sk 16 --n-ol 48 --w-cls 0.5
         --edge-mix 0.5 --edge-train 64 --teacher-space split --tau-t-sk 0.1 --sk-align 0.5
         --flip sketch --sketch-views 0,5 --name student-v5-m05-d5views)
[[ $USER_OPTS == 1 ]] || ARGS+=("${SHIPPED[@]}")
start=$(date +%s)
/usr/bin/python3 -m sketchsearch.prepare --data "$DATA" --teacher "$TEACHER"
/usr/bin/python3 -m sketchsearch.train "${ARGS[@]}"
echo "train.sh total wall time: $(( $(date +%s) - start ))s"
