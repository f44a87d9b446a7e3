#!/usr/bin/env bash
# One command per build: prepare data (decode via the extension's decoder, teacher features) + train + export.
# Usage: bash training/train.sh [--build zero-shot|full] [--data ../shared/data] [sketchsearch.train options]
#   --build zero-shot (default): never trains on a class of ../shared/data/splits/unseen-*.txt; every method
#                                claim is measured on it; work folder training/.work, exported to models/zero-shot/
#   --build full:                trains on every class (what ships); work folder training/.work/full, exported to models/
#   Both builds leave out the QuickDraw drawings with int(key_id) % 11 == 0 and the reserved icon packages.
#   Without train options it trains the configuration of the current model (student-v5-m05-d5views recipe,
#   models/MODEL_CARD.md).
# Needs Debian python3-torch/torchvision/onnx/numpy/pil (/usr/bin/python3), node + npx tsx, the icon corpora
# (bash scripts/fetch-corpora.sh) and ../shared. Intermediate files go to training/.work/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")"
DATA=../../shared/data
TEACHER=../../shared/models/teacher
BUILD=zero-shot
ARGS=(); USER_OPTS=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --teacher-dir) TEACHER="$2"; ARGS+=("$1" "$2"); shift 2 ;;
    *) ARGS+=("$1"); USER_OPTS=1; shift ;;
  esac
done
case "$BUILD" in
  zero-shot) WORK=.work; OUT=../models/zero-shot; NAME=student-v5-m05-d5views ;;
  full) WORK=.work/full; OUT=../models; NAME=student-v5full-m05-d5views ;;
  *) echo "--build must be zero-shot or full, not '$BUILD'" >&2; exit 2 ;;
esac
# The current model's configuration (= training/ablate.sh variant edgealign-m05, 825 steps, exported with the
# sketch encoder's test-time views: as drawn and 5x5-dilated ink, each also mirrored).
SHIPPED=(--schedule-steps 825 --eval-every 0 --freeze-stem 7 --n-qd 24 --n-sk 16 --n-ol 48 --w-cls 0.5
         --edge-mix 0.5 --edge-train 64 --teacher-space split --tau-t-sk 0.1 --sk-align 0.5
         --flip sketch --sketch-views 0,5 --name "$NAME")
[[ $USER_OPTS == 1 ]] || ARGS+=("${SHIPPED[@]}")
mkdir -p "$WORK"
start=$(date +%s)
/usr/bin/python3 -m sketchsearch.prepare --build "$BUILD" --work "$WORK" --data "$DATA" --teacher "$TEACHER"
/usr/bin/python3 -m sketchsearch.train --work "$WORK" --out "$OUT" "${ARGS[@]}"
echo "train.sh --build $BUILD total wall time: $(( $(date +%s) - start ))s"
