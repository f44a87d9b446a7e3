#!/usr/bin/env bash
# The product demo on a fresh machine: installs what is missing, builds and packages the extension,
# makes a workspace of a few hundred real icons, emoji and clip art, and starts VS Code (code-server)
# on 127.0.0.1 with the extension installed and that folder open. Stays in the foreground; Ctrl+C stops.
#
#   npm run demo                 # http://127.0.0.1:8080/
#   PORT=9000 npm run demo
# Env: PORT (8080), DEMO_DIR (.e2e/demo-workspace), DEMO_THEME (dark|light, dark), SKIP_SETUP=1.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$REPO_ROOT/scripts/lib/code-server.sh"
cd "$REPO_ROOT"

PORT="${PORT:-8080}"
DEMO_DIR="${DEMO_DIR:-$REPO_ROOT/.e2e/demo-workspace}"
STATE="$REPO_ROOT/.e2e/demo-state"
THEME="${DEMO_THEME:-dark}"
case "$THEME" in dark) THEME_NAME="Default Dark Modern" ;; light) THEME_NAME="Default Light Modern" ;; *) die "DEMO_THEME: dark or light" ;; esac

if [ -z "${SKIP_SETUP:-}" ]; then
  apt_ensure unzip "${CODE_SERVER_APT[@]}"
  npm_ci_if_needed
  bash scripts/fetch-corpora.sh
  code_server_install
fi

VSIX="$REPO_ROOT/sketch-search-$(host_target).vsix"
OUT="$VSIX" bash scripts/package.sh >/dev/null

log "demo workspace: $DEMO_DIR"
node scripts/lib/image-folder.mjs demo "$DEMO_DIR"

# Fresh VS Code state each run (settings, installed extension); the index cache of the workspace
# lives with the extension's storage there too, so the demo always shows indexing from scratch.
rm -rf "$STATE"
mkdir -p "$STATE/user-data/User" "$STATE/extensions"
cat > "$STATE/user-data/User/settings.json" <<JSON
{
  "workbench.colorTheme": "$THEME_NAME",
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "editor.minimap.enabled": false
}
JSON
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$STATE/config.yaml"
COMMON=(--config "$STATE/config.yaml" --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions")

log "installing $(basename "$VSIX") into code-server"
"$NODE24" "$CS_ENTRY" "${COMMON[@]}" --force --install-extension "$VSIX" >/dev/null

URL="http://127.0.0.1:$PORT/?folder=$DEMO_DIR"
cat <<MSG

  Sketch Search demo
  ------------------
  Open:  $URL
  Click the Sketch Search icon in the activity bar (or F1 → "Sketch Search: Open Sketch Pad")
  and draw: a house, a cat, a star, a key, a tree...   Ctrl+C stops the server.

MSG
exec "$NODE24" "$CS_ENTRY" "${COMMON[@]}" \
  --auth none --bind-addr "127.0.0.1:$PORT" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --ignore-last-opened "$DEMO_DIR"
