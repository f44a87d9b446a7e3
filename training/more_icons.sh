#!/usr/bin/env bash
# The --more-icons ablation (models/MODEL_CARD.md, "More icon packages"): does the image branch find icons of packages
# it has never seen (the reserved ones) better when it trains on more styles? Two arms of one warm restart of the
# shipped zero-shot build, on one work folder prepared with `prepare --more-icons`:
#   c3-more  trains on every package of the folder (TRAIN_SETS + MORE_SETS);
#   c3-same  leaves MORE_SETS out (train.py --skip-sets),
# so the arms differ only in the extra icons: same frozen image blocks (the checkpoint's), same cached trunk and
# teacher features, same steps, learning rate and sketch batches. Both run side by side, one thread each.
# Usage: bash training/more_icons.sh [STEPS]   (default 300; the recipe's warm restart is 600)
# Then:  npm run bench -- --models models/zero-shot,training/.work/ablations/c3-more-STEPS,training/.work/ablations/c3-same-STEPS
#          --skip-perf --no-baselines --out bench/.data/more-icons.json
set -euo pipefail
cd "$(dirname "$0")"
PY=${SKETCHSEARCH_PYTHON:-/usr/bin/python3}
STEPS=${1:-300}
WORK=.work/more
INIT=../models/zero-shot/student.pt
source ./recipe.sh
start=$(date +%s)
"$PY" -m sketchsearch.prepare --build zero-shot --work "$WORK" --more-icons --reuse-teacher .work
MORE=$("$PY" -c 'from sketchsearch.prepare import MORE_SETS; print(",".join(s for s, *_ in MORE_SETS))')
# the recipe's warm restart (V2_RESTART's learning rate), on batches neither earlier cycle drew
OPTS=(--work "$WORK" --schedule-steps "$STEPS" --eval-every 0 "${V2_RECIPE[@]}" "${V2_VIEWS[@]}" "${V2_EXPORT[@]}"
      --lr 1e-3 --data-seed 2 --init-from "$INIT" --threads 1)
arm() {  # name, extra train.py options
  local out=.work/ablations/$1-$STEPS; shift
  mkdir -p "$out"
  "$PY" -m sketchsearch.train "${OPTS[@]}" --out "$out" --name "ablation-$(basename "$out")" "$@" >"$out/log.txt" 2>&1
}
arm c3-more &
more=$!
# the second arm starts once the first has cached the trunk features both read ("image pool" follows the cache)
until grep -q "image pool" ".work/ablations/c3-more-$STEPS/log.txt" 2>/dev/null; do
  kill -0 "$more" 2>/dev/null || { wait "$more"; exit 1; }
  sleep 10
done
arm c3-same --skip-sets "$MORE" &
same=$!
wait "$more"; wait "$same"
grep -h -E "final eval|exported" ".work/ablations/c3-more-$STEPS/log.txt" ".work/ablations/c3-same-$STEPS/log.txt" || true
echo "more_icons.sh total wall time: $(( $(date +%s) - start ))s"
