#!/usr/bin/env bash
# One command per build: prepare data (decode via the extension's decoder, teacher features) + train + export.
# Usage: bash training/train.sh [--build zero-shot|full] [--data ../shared/data] [sketchsearch.train options]
#   --build zero-shot (default): never trains on a class of ../shared/data/splits/unseen-*.txt; every method
#                                claim is measured on it; work folder training/.work, exported to models/zero-shot/
#   --build full:                trains on every class (what ships); work folder training/.work/full, exported to models/
#   Both builds leave out the QuickDraw drawings with int(key_id) % 11 == 0 and the reserved icon packages.
#   Without train options it trains the configuration of the current model (the same-size student v2,
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
  zero-shot) WORK=.work; OTHER=.work/full; OUT=../models/zero-shot; NAME=student-v2 ;;
  full) WORK=.work/full; OTHER=.work; OUT=../models; NAME=student-v2full ;;
  *) echo "--build must be zero-shot or full, not '$BUILD'" >&2; exit 2 ;;
esac
# The current model's configuration (training/recipe.sh, = training/ablate.sh variant v2 at ABLATE_STEPS=900).
source ./recipe.sh
SHIPPED=(--schedule-steps "$V2_STEPS" --eval-every 300 "${V2_RECIPE[@]}" "${V2_VIEWS[@]}" --name "$NAME")
[[ $USER_OPTS == 1 ]] || ARGS+=("${SHIPPED[@]}")
mkdir -p "$WORK"
start=$(date +%s)
# teacher features of images the other build already has are copied from its work folder (same teacher, same pixels)
/usr/bin/python3 -m sketchsearch.prepare --build "$BUILD" --work "$WORK" --data "$DATA" --teacher "$TEACHER" --reuse-teacher "$OTHER"
/usr/bin/python3 -m sketchsearch.train --work "$WORK" --out "$OUT" "${ARGS[@]}"
echo "train.sh --build $BUILD total wall time: $(( $(date +%s) - start ))s"
