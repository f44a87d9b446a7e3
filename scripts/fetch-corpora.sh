#!/usr/bin/env bash
# Installs the image corpora used by training and benchmarks, by package name (npm + Debian).
# Idempotent; everything lands in ignored folders or system paths.
set -euo pipefail
cd "$(dirname "$0")/.."
# Re-install when the lock file changed (a clone from before a corpus was added has an older tree).
STAMP=bench/corpora/node_modules/.corpora-lock.sha256
WANT="$(sha256sum bench/corpora/package-lock.json | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  npm ci --prefix bench/corpora --ignore-scripts --no-audit --no-fund
  echo "$WANT" > "$STAMP"
fi
if [ ! -d /usr/share/openclipart ] || [ ! -d /usr/share/tuxpaint/stamps ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openclipart-svg tuxpaint-stamps-default >/dev/null
fi
