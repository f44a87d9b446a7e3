#!/usr/bin/env bash
# One command per build: prepare data (decode via the extension's decoder, teacher features) + train + export.
# Usage: bash training/train.sh [--build zero-shot|full] [--data ../shared/data] [sketchsearch.train options]
#   --build zero-shot (default): never trains on a class of ../shared/data/splits/unseen-*.txt; every method
#                                claim is measured on it; work folder training/.work, exported to models/zero-shot/
#   --build full:                trains on every class (what ships); work folder training/.work/full, exported to models/
#   Both builds leave out the QuickDraw drawings with int(key_id) % 11 == 0 and the reserved icon packages.
#   Without train options it trains the configuration of the current model (the same-size student v2 in two
#   cosine cycles and the sketch-side tuning, training/recipe.sh, models/MODEL_CARD.md); with them, one training of
#   those options.
# Needs Debian python3-torch/torchvision/onnx/numpy/pil (/usr/bin/python3), node + npx tsx, the icon corpora
# (bash scripts/fetch-corpora.sh) and ../shared. Intermediate files go to training/.work/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")"
PY=${SKETCHSEARCH_PYTHON:-/usr/bin/python3}  # Debian's python with torch (a stub in test_recipe.py)
DATA=../../shared/data
TEACHER=../../shared/models/teacher
BUILD=zero-shot
ARGS=(); USER_OPTS=0; TEACHER_OPT=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --teacher-dir) TEACHER="$2"; TEACHER_OPT=("$1" "$2"); shift 2 ;;
    *) ARGS+=("$1"); USER_OPTS=1; shift ;;
  esac
done
case "$BUILD" in
  zero-shot) WORK=.work; OTHER=.work/full; OUT=../models/zero-shot; NAME=student-v2 ;;
  full) WORK=.work/full; OTHER=.work; OUT=../models; NAME=student-v2full ;;
  *) echo "--build must be zero-shot or full, not '$BUILD'" >&2; exit 2 ;;
esac
# The current model's configuration (training/recipe.sh; its first cycle = training/ablate.sh variant v2 at ABLATE_STEPS=900).
source ./recipe.sh
# V2_EXPORT (the edge stream, the image -> image blocks) rides along: train.py exports once, with it
SHIPPED=(--schedule-steps "$V2_STEPS" --eval-every 300 "${V2_RECIPE[@]}" "${V2_VIEWS[@]}" "${V2_EXPORT[@]}" --name "$NAME")
RESTART=(--schedule-steps "$V2_RESTART_STEPS" --eval-every 300 "${V2_RECIPE[@]}" "${V2_VIEWS[@]}" "${V2_EXPORT[@]}" "${V2_RESTART[@]}" --name "$NAME")
[[ $USER_OPTS == 1 ]] || ARGS+=("${SHIPPED[@]}")
mkdir -p "$WORK"
start=$(date +%s)
# teacher features of images the other build already has are copied from its work folder (same teacher, same pixels)
"$PY" -m sketchsearch.prepare --build "$BUILD" --work "$WORK" --data "$DATA" --teacher "$TEACHER" --reuse-teacher "$OTHER"
if [[ $USER_OPTS == 1 ]]; then
  "$PY" -m sketchsearch.train --work "$WORK" --out "$OUT" "${TEACHER_OPT[@]}" "${ARGS[@]}"
else  # the recipe's two cycles into the work folder (the warm restart from the first), then the sketch side alone into OUT
  "$PY" -m sketchsearch.train --work "$WORK" --out "$WORK/cycle1" "${TEACHER_OPT[@]}" "${ARGS[@]}"
  "$PY" -m sketchsearch.train --work "$WORK" --out "$WORK/cycle2" "${TEACHER_OPT[@]}" "${RESTART[@]}" --init-from "$WORK/cycle1/student.pt"
  "$PY" -m sketchsearch.sketch_tune --work "$WORK" --init-from "$WORK/cycle2/student.pt" --out "$OUT" --steps "$V2_TUNE_STEPS" \
      "${V2_TUNE[@]}" --name "$NAME"
fi
echo "train.sh --build $BUILD total wall time: $(( $(date +%s) - start ))s"
