#!/usr/bin/env bash
# Everything CI runs (`npm test`, via .ci/run): installs what a clean Debian machine with Node 20
# lacks, builds and packages the VSIX, then runs every test step and prints a summary.
#   typecheck, unit, integration, python, quick benchmark, E2E (VSIX in code-server + Chromium)
# Each step runs even if an earlier one failed (except those that need the VSIX); the exit status
# is non-zero if any step failed. The last line is "N passed, N failed" (N = steps).
#
# Env: SKIP_SETUP=1 (no apt/npm installs), SKIP_E2E=1, SKIP_BENCH=1, STEP_TIMEOUT_SCALE (default 1).
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"
export CI="${CI:-}"
export FORCE_COLOR=0 NO_COLOR=1 NODE_OPTIONS="${NODE_OPTIONS:-}"

START=$SECONDS
PASSED=0; FAILED=0; SKIPPED=0
SUMMARY=()
SCALE="${STEP_TIMEOUT_SCALE:-1}"

# step NAME TIMEOUT_S CMD...: runs a step with a time limit, records the outcome.
step() {
  local name="$1" limit="$2"; shift 2
  local t0=$SECONDS rc
  printf '\n\033[1m==== %s\033[0m  (%s)\n' "$name" "$*"
  timeout --kill-after=30 "$((limit * SCALE))" "$@"
  rc=$?
  local dt=$((SECONDS - t0))
  if [ $rc -eq 0 ]; then
    PASSED=$((PASSED + 1)); SUMMARY+=("PASS  ${dt}s  $name")
  else
    [ $rc -eq 124 ] && echo "!!!! $name timed out after $((limit * SCALE)) s"
    FAILED=$((FAILED + 1)); SUMMARY+=("FAIL  ${dt}s  $name (exit $rc)")
  fi
  return $rc
}
skip() { SKIPPED=$((SKIPPED + 1)); SUMMARY+=("SKIP        $1 ($2)"); printf '\n==== %s: skipped (%s)\n' "$1" "$2"; }

setup() {
  apt_ensure unzip chromium fonts-dejavu-core python3 python3-torch python3-torchvision python3-onnx python3-pil python3-numpy "${CODE_SERVER_APT[@]}"
  npm_ci_if_needed
  bash scripts/fetch-corpora.sh
  [ -n "${SKIP_E2E:-}" ] || bash scripts/lib/code-server.sh install
}

echo "test-all: $(date -u +%FT%TZ) node $(node -v) npm $(npm -v 2>/dev/null) on $(nproc) cores, CI=${CI:-}"

# ---------------------------------------------------------------- setup + build
if [ -z "${SKIP_SETUP:-}" ]; then
  step "setup (apt, npm ci, corpora, code-server)" 1500 bash -c "source scripts/lib/common.sh; $(declare -f setup); setup"
fi

VSIX="$REPO_ROOT/sketch-search-$(host_target).vsix"
rm -f "$VSIX"
step "build + package VSIX" 600 env OUT="$VSIX" bash scripts/package.sh && HAVE_VSIX=1 || HAVE_VSIX=""
# The tests use the development build (with source maps); the VSIX holds the production one.
step "build (development)" 120 node esbuild.mjs

# ---------------------------------------------------------------- tests
step "typecheck" 600 npx --no-install tsc --noEmit -p .

shopt -s nullglob
UNIT=(test/unit/*.test.ts)
INTEG=(test/integration/*.test.ts)
PY=(test/python/test*.py)
shopt -u nullglob

if [ ${#UNIT[@]} -gt 0 ]; then
  step "unit tests (${#UNIT[@]} files)" 900 node --import tsx --test --test-reporter=spec "${UNIT[@]}"
else skip "unit tests" "no test/unit/*.test.ts"; fi

if [ ${#INTEG[@]} -gt 0 ]; then
  step "integration tests (${#INTEG[@]} files)" 1200 node --import tsx --test --test-reporter=spec --test-concurrency=1 "${INTEG[@]}"
else skip "integration tests" "no test/integration/*.test.ts"; fi

if [ ${#PY[@]} -gt 0 ]; then
  step "python tests (${#PY[@]} files)" 900 /usr/bin/python3 -m unittest discover -s test/python -v
else skip "python tests" "no test/python/test*.py"; fi

if [ -n "${SKIP_BENCH:-}" ]; then skip "quick benchmark" "SKIP_BENCH"
elif [ -f bench/run.ts ]; then
  step "quick benchmark" 900 npm run --silent bench -- --quick
else skip "quick benchmark" "no bench/run.ts"; fi

if [ -n "${SKIP_E2E:-}" ]; then skip "E2E" "SKIP_E2E"
elif [ -z "$HAVE_VSIX" ]; then
  FAILED=$((FAILED + 1)); SUMMARY+=("FAIL        E2E (no VSIX: packaging failed)")
else
  step "E2E: VSIX in code-server + Chromium" 2400 env SKETCH_SEARCH_VSIX="$VSIX" \
    node --import tsx --test --test-reporter=spec --test-concurrency=1 test/e2e/*.test.ts
fi

# ---------------------------------------------------------------- summary
printf '\n==== summary (%d s)\n' "$((SECONDS - START))"
printf '  %s\n' "${SUMMARY[@]}"
[ -d test-results/e2e ] && echo "  E2E screenshots: test-results/e2e/"
[ "$SKIPPED" -gt 0 ] && echo "  ($SKIPPED steps skipped)"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
