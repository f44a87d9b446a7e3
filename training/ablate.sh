#!/usr/bin/env bash
# Short-schedule ablations (losses, teacher spaces, edge stream, icon doodles, the same-size v2 student). Each variant is exported in the same format as
# models/ to training/.work/ablations/<name>/ (model.json, *.onnx, student.pt, train_report.json), so the
# benchmark can be pointed at it. Needs training/.work from `python3 -m sketchsearch.prepare`.
# Usage: bash training/ablate.sh [MINUTES=6] [variant ...]
#   ABLATE_STEPS=N: a fixed step schedule instead of the wall-clock budget (comparable runs on a loaded machine);
#                   the variant is then exported to training/.work/ablations/<name>-<N>/
#   ABLATE_EVAL=K:  the training-time evaluation every K steps (the learning curve in train_report.json); 0 = only at the end
set -euo pipefail
cd "$(dirname "$0")"
MIN=${1:-6}; shift || true
VARIANTS=("$@"); [[ ${#VARIANTS[@]} -gt 0 ]] || VARIANTS=(nodistill rel crd full)
COMMON=(--threads "${ABLATE_THREADS:-2}" --minutes "$MIN" --schedule-steps "${ABLATE_STEPS:-0}" --eval-every "${ABLATE_EVAL:-0}" --freeze-stem 7 --n-qd 24 --n-sk 16 --n-ol 48 --w-cls 0.5)
# trained edge stream + aligned sketch targets in the split teacher space (the edgealign family)
EDGEALIGN=(--edge-train 64 --teacher-space split --tau-t-sk 0.1 --sk-align 0.5)
SPLITALIGN=(--teacher-space split --tau-t-sk 0.1 --sk-align 0.5)
source ./recipe.sh  # V2_RECIPE, V2_VIEWS: the shipped recipe
for v in "${VARIANTS[@]}"; do
  case "$v" in
    nodistill) X=(--w-rel 0 --w-crd 0) ;;
    rel) X=(--w-crd 0) ;;
    crd) X=(--w-rel 0) ;;
    full) X=() ;;
    nocls) X=(--w-cls 0) ;;
    sqrtc) X=(--teacher-space sqrtc --tau-t 0.1) ;;                 # full, teacher power-normalised + centred
    noclsimg) X=(--w-cls-img 0) ;;                                  # full without the image classification loss
    align) X=(--teacher-space sqrtc --tau-t 0.1 --sk-align 0.5) ;;   # + aligned teacher vectors for sketches
    splitalign) X=(--teacher-space split --tau-t-sk 0.1 --sk-align 0.5) ;;  # aligned sketch targets (sqrtc), image relations raw
    edge) X=(--edge-mix 0.75 --edge-train 64) ;;                   # full + edge stream in the image encoder, trained
    edgealign) X=(--edge-mix 0.75 "${EDGEALIGN[@]}") ;;                 # edge + aligned sketch targets (sqrtc), image relations raw
    edgealign-m05) X=(--edge-mix 0.5 "${EDGEALIGN[@]}") ;;              # edgealign, edge stream weight 0.5 (the weights of v5)
    edgealign-m05-2x) X=(--edge-mix 0.5 "${EDGEALIGN[@]}" --schedule-steps 1650) ;;  # edgealign-m05, twice the steps
    edgealign-m05-d3) X=(--edge-mix 0.5 "${EDGEALIGN[@]}" --ink-dilate 3) ;;  # edgealign-m05, sketch branch on 3x3-dilated ink
    edgealign-s1) X=(--seed 1 --edge-mix 0.75 "${EDGEALIGN[@]}") ;;     # edgealign, seed 1 (training variance)
    edgealign-m05-s1) X=(--seed 1 --edge-mix 0.5 "${EDGEALIGN[@]}") ;;  # edgealign-m05 (v5's weights), seed 1
    edgealign-m05-doodles) X=(--edge-mix 0.5 "${EDGEALIGN[@]}" --icon-doodles 0.5 --flip sketch --sketch-views 0,5) ;;  # v5 + icons drawn as doodles (same export views as v5)
    # same-size student (both branches the teacher's MobileNetV2 1.0, BN per branch, image branch trained after block 11)
    # (sketch branch trained after its first 4 blocks; exported with v5's test-time views)
    v2) X=("${V2_RECIPE[@]}" "${V2_VIEWS[@]}") ;;
    v2-noshare) X=("${V2_RECIPE[@]}" "${V2_VIEWS[@]}" --w-share 0) ;;      # v2 without soft weight sharing
    v2-nodoodles) X=("${V2_RECIPE[@]}" "${V2_VIEWS[@]}" --icon-doodles 0) ;;  # v2 without the icon doodles
    *) echo "unknown variant $v"; exit 2 ;;
  esac
  out=.work/ablations/$v${ABLATE_STEPS:+-$ABLATE_STEPS}
  mkdir -p "$out"
  /usr/bin/python3 -m sketchsearch.train "${COMMON[@]}" "${X[@]}" --name "ablation-$v${ABLATE_STEPS:+-$ABLATE_STEPS}" --out "$out" 2>&1 | grep --line-buffered -v Warning | tee "$out/log.txt" | grep -E "final eval|exported"
done
