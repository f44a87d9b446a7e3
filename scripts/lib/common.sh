# Shared helpers for scripts/*.sh (sourced). Bash 4+, Debian/Ubuntu for apt installs.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT

log() { printf '\033[1m[%s] %s\033[0m\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

_SUDO=""
if [ "$(id -u)" != 0 ]; then _SUDO="sudo"; fi
_APT_UPDATED=""

# apt_ensure PKG...: installs the Debian packages that are not installed yet (apt-get update once).
apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing system packages (${missing[*]}) and no apt-get: install them by hand"
  if [ -z "$_APT_UPDATED" ]; then
    log "apt-get update"
    $_SUDO apt-get update -qq || true
    _APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $_SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Native build deps of code-server's VS Code modules (node-gyp).
CODE_SERVER_APT=(build-essential python3 pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)

# npm_ci_if_needed: npm ci in the repo unless node_modules matches package-lock.json.
npm_ci_if_needed() {
  local stamp="$REPO_ROOT/node_modules/.sketch-search-lock.sha256"
  local want
  want="$(sha256sum "$REPO_ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d "$REPO_ROOT/node_modules/.bin" ]; then
    return 0
  fi
  log "npm ci"
  (cd "$REPO_ROOT" && npm ci --no-audit --no-fund)
  echo "$want" > "$stamp"
}

# host_target: VS Code target of this machine (linux-x64, darwin-arm64, win32-x64, ...).
host_target() {
  node -e 'const p={win32:"win32",darwin:"darwin",linux:"linux"}[process.platform]||process.platform;console.log(p+"-"+process.arch)'
}
