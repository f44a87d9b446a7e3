#!/usr/bin/env bash
# The one prepared script for the device machine: unpack the pack, compute the teacher features on the GPU,
# train the v2 recipe, export (once, with the recipe's export-time options) into $OUT/model (model.json, sketch_encoder.onnx, image_encoder.onnx, student.pt,
# train_report.json) with the log in $OUT. docs/gpu-training.md. From the session, with the run tool:
#   command: bash training/gpu/device_train.sh      carry: ["training/.gpu-pack"]      timeout_s: 600
# (the pack made beforehand on the CPU machine by /usr/bin/python3 training/gpu/pack.py, in the checkout the
# run tool sends). Needs no node. Finishes by the wall clock: training gets what is left of DEADLINE_S after
# unpacking less RESERVE_S for the final evaluation and export; a checkpoint every CKPT_EVERY steps and
# export.py --finish leave a model in $OUT/model even when train.py is cut short.
# Environment (all optional):
#   DEVICE=cuda|cpu (cpu: a test run anywhere)   MINUTES=5 training budget (cut to fit DEADLINE_S)
#   STEPS=N fixed step schedule instead (still stopped at the deadline)   DEADLINE_S=540 from the start of this script
#   RESERVE_S=150   THREADS=4   WORKERS=12 (stream processes)   EVAL_EVERY=0   CKPT_EVERY=250   SEED=0
#   NAME=student-v2-gpu   PACK=training/.gpu-pack   WORK=training/.gpu-work   PYTHON=...   TRAIN_EXTRA="more train.py options"
#   TUNE_S=90 kept for the sketch-side tuning (recipe.sh V2_TUNE) after the training; TUNE_STEPS (V2_TUNE_STEPS)
#   TUNE_EXTRA="more sketch_tune.py options". The tuned model replaces the trained one only when it finishes in time.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
T0=$(date +%s)
OUT=${OUT:-$ROOT/training/.gpu-out}
mkdir -p "$OUT/model"
DEVICE=${DEVICE:-cuda}
PACK=${PACK:-training/.gpu-pack}; WORK=${WORK:-training/.gpu-work}
[[ "$PACK" == /* ]] || PACK=$ROOT/$PACK
[[ "$WORK" == /* ]] || WORK=$ROOT/$WORK
MINUTES=${MINUTES:-5}; STEPS=${STEPS:-0}; DEADLINE_S=${DEADLINE_S:-540}; RESERVE_S=${RESERVE_S:-150}
THREADS=${THREADS:-4}; WORKERS=${WORKERS:-12}; EVAL_EVERY=${EVAL_EVERY:-0}; CKPT_EVERY=${CKPT_EVERY:-250}; SEED=${SEED:-0}
NAME=${NAME:-student-v2-gpu}; TUNE_S=${TUNE_S:-90}
read -r -a EXTRA <<< "${TRAIN_EXTRA:-}"
read -r -a TUNE_OPTS <<< "${TUNE_EXTRA:-}"
export PYTHONUNBUFFERED=1

# The shipped recipe (training/recipe.sh: V2_RECIPE, V2_VIEWS, V2_EXPORT), the same list train.sh and ablate.sh use.
source training/recipe.sh
TUNE_STEPS=${TUNE_STEPS:-$V2_TUNE_STEPS}
COMMON=(--eval-every "$EVAL_EVERY")

el() { echo $(( $(date +%s) - T0 )); }
phase() { echo "=== [$(el)s] $*"; }

main() {
  phase "device_train.sh: device=$DEVICE pack=$PACK work=$WORK out=$OUT"
  PY=""
  for p in ${PYTHON:-} python3 /usr/bin/python3 /opt/torch/.venv/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import torch, numpy' 2>/dev/null; then PY=$p; break; fi
  done
  [[ -n "$PY" ]] || { echo "no python with torch and numpy"; return 2; }
  "$PY" -c 'import sys, torch; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda,
"available", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")'
  if [[ "$DEVICE" == cuda ]] && ! "$PY" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'; then
    echo "CUDA is not available to $PY: nothing trained (DEVICE=cpu runs the same steps on the CPU, for testing)"; return 3
  fi
  [[ -f "$PACK/manifest.json" ]] || { echo "no pack at $PACK (make it with training/gpu/pack.py and carry it)"; return 2; }

  phase "unpack + teacher features"
  "$PY" training/gpu/unpack.py --pack "$PACK" --work "$WORK" --device "$DEVICE" || return 4
  cp "$WORK/pack_manifest.json" "$OUT/pack_manifest.json"

  local left=$(( DEADLINE_S - $(el) ))
  local train_s=$(( left - RESERVE_S - TUNE_S ))
  (( train_s >= 30 )) || { echo "only ${left}s left before the deadline: not training"; return 5; }
  local minutes
  minutes=$("$PY" -c "print(round(min($MINUTES, $train_s / 60), 2))")
  local sched=() what="${minutes} min"
  if (( STEPS > 0 )); then sched=(--schedule-steps "$STEPS"); what="$STEPS steps"; fi
  phase "train: $what; train.py stopped at the latest in $(( left - 15 - TUNE_S ))s"
  local rc=0
  (cd training && timeout --signal=TERM --kill-after=10 $(( left - 15 - TUNE_S )) "$PY" -m sketchsearch.train \
      --device "$DEVICE" --work "$WORK" --teacher-dir "$WORK/teacher" --out "$OUT/model" \
      --threads "$THREADS" --workers "$WORKERS" --seed "$SEED" --checkpoint-every "$CKPT_EVERY" \
      "${COMMON[@]}" "${V2_RECIPE[@]}" "${V2_VIEWS[@]}" "${V2_EXPORT[@]}" --minutes "$minutes" "${sched[@]}" --name "$NAME" "${EXTRA[@]}") || rc=$?
  if [[ $rc != 0 ]]; then
    phase "train.py exited $rc"
    if [[ -f "$OUT/model/student.pt" && ! -f "$OUT/model/model.json" ]]; then
      phase "export from the last student.pt (export.py --finish)"
      (cd training && "$PY" -m sketchsearch.export --finish "$OUT/model" --name "$NAME") || true
    fi
  fi
  rm -f "$OUT"/model/*.tmp
  if [[ $rc == 0 && -f "$OUT/model/model.json" ]]; then tune; fi
  if [[ -f "$OUT/model/model.json" ]]; then
    phase "done: $(cat "$OUT/model/model.json" | tr -d '\n ')"
    ls -l "$OUT/model"
    [[ $rc == 0 ]] || return 6
    return 0
  fi
  phase "no model exported"; return 1
}

# The recipe's last stage, the sketch side alone (sketchsearch.sketch_tune), into the work folder; its files replace the
# trained model's only when it finishes before the deadline (a tuning cut short leaves the trained model as it was).
tune() {
  local left=$(( DEADLINE_S - $(el) - 15 ))
  (( left >= 30 )) || { phase "only $(( left + 15 ))s left: no sketch-side tuning"; return 0; }
  phase "sketch-side tuning: $TUNE_STEPS steps, stopped at the latest in ${left}s"
  rm -rf "$WORK/tuned"
  if (cd training && timeout --signal=TERM --kill-after=10 "$left" "$PY" -m sketchsearch.sketch_tune --device "$DEVICE" \
        --work "$WORK" --init-from "$OUT/model/student.pt" --out "$WORK/tuned" --threads "$THREADS" --workers "$WORKERS" \
        --eval-every 0 --steps "$TUNE_STEPS" "${V2_TUNE[@]}" --name "$NAME" "${TUNE_OPTS[@]}"); then
    cp "$WORK/tuned"/{model.json,sketch_encoder.onnx,image_encoder.onnx,student.pt,train_report.json} "$OUT/model/"
    phase "tuned"
  else
    phase "sketch-side tuning did not finish: the trained model stays"
  fi
}

main 2>&1 | tee "$OUT/device_train.log"
rc=${PIPESTATUS[0]}
echo "device_train.sh exit $rc after $(el)s" | tee -a "$OUT/device_train.log"
exit "$rc"
