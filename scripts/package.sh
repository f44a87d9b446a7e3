#!/usr/bin/env bash
# Builds the production bundles and packages a platform-specific VSIX with the native modules
# (onnxruntime-node, sharp) of that platform only:  sketch-search-<target>.vsix
#
#   bash scripts/package.sh [target]      # target: linux-x64 (default: this machine), linux-arm64,
#                                         #         darwin-arm64, win32-x64, win32-arm64
# Env: OUT=path.vsix (output file), SKIP_BUILD=1 (use dist/ as it is).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

TARGET="${1:-$(host_target)}"
OS="${TARGET%-*}"; ARCH="${TARGET#*-}"
case "$TARGET" in
  linux-x64|linux-arm64|darwin-arm64|win32-x64|win32-arm64) ;;
  *) die "unsupported target '$TARGET' (onnxruntime-node ships binaries for linux-x64, linux-arm64, darwin-arm64, win32-x64, win32-arm64)" ;;
esac
OUT="${OUT:-$REPO_ROOT/sketch-search-$TARGET.vsix}"

[ -d node_modules/onnxruntime-node ] && [ -d node_modules/sharp ] || die "node_modules missing: run npm ci"
ORT_BIN=node_modules/onnxruntime-node/bin/napi-v6
[ -d "$ORT_BIN/$OS/$ARCH" ] || die "onnxruntime-node has no binaries for $TARGET in $ORT_BIN"
ls models/*.onnx >/dev/null 2>&1 || die "no models/*.onnx: the encoder model must be in models/ before packaging"
[ -f models/model.json ] || die "models/model.json missing"

if [ -z "${SKIP_BUILD:-}" ]; then
  log "build (production)"
  rm -rf dist
  node esbuild.mjs --production
fi
for f in dist/extension.js dist/encoderWorker.js media/webview.js; do
  [ -f "$f" ] || die "$f missing after the build"
done

# sharp's native packages for the target: present for the host; fetched by name for another target.
SHARP_VERSION="$(node -p 'require("./node_modules/sharp/package.json").version')"
LIBVIPS_VERSION="$(node -p 'require("./node_modules/sharp/package.json").optionalDependencies["@img/sharp-libvips-'"$OS-$ARCH"'"] || ""')"
FETCHED=()
cleanup() { local d; for d in "${FETCHED[@]}"; do rm -rf "$d"; done; rm -f "${IGNORE_FILE:-}" "${README_TMP:-}"; }
trap cleanup EXIT
fetch_pkg() { # name version
  local dir="node_modules/$1"
  [ -d "$dir" ] && return 0
  log "fetching $1@$2 for $TARGET"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null)
  mkdir -p "$dir"
  tar xzf "$tmp"/*.tgz -C "$dir" --strip-components=1
  rm -rf "$tmp"
  FETCHED+=("$dir")
}
fetch_pkg "@img/sharp-$OS-$ARCH" "$SHARP_VERSION"
[ -n "$LIBVIPS_VERSION" ] && fetch_pkg "@img/sharp-libvips-$OS-$ARCH" "$LIBVIPS_VERSION"

# Per-target ignore file: .vscodeignore + other platforms' native binaries.
IGNORE_FILE="$(mktemp "$REPO_ROOT/.vscodeignore.XXXXXX")"
cp .vscodeignore "$IGNORE_FILE"
{
  echo
  echo "# --- added by scripts/package.sh for $TARGET"
  echo "$(basename "$IGNORE_FILE")"
  for d in "$ORT_BIN"/*/*/; do
    d="${d%/}"
    [ "$d" = "$ORT_BIN/$OS/$ARCH" ] || echo "$d/**"
  done
  # node-gyp-build prebuilds (usearch, ...): prebuilds/<platform>-<arch>[+<arch>...]/
  while IFS= read -r d; do
    n="$(basename "$d")"; plat="${n%%-*}"; archs="+${n#*-}+"
    if [ "$plat" != "$OS" ] || [[ "$archs" != *"+$ARCH+"* ]]; then echo "$d/**"; fi
  done < <(find node_modules -type d -path '*/prebuilds/*' -prune -print | grep -E '/prebuilds/[^/]+$')
  for d in node_modules/@img/*/; do
    d="${d%/}"; n="$(basename "$d")"
    case "$n" in
      colour|"sharp-$OS-$ARCH"|"sharp-libvips-$OS-$ARCH") ;;
      *) echo "$d/**" ;;
    esac
  done
} >> "$IGNORE_FILE"

VSCE_FLAGS=(--target "$TARGET" --ignoreFile "$IGNORE_FILE" --out "$OUT")
if ! node -e 'process.exit(require("./package.json").repository ? 0 : 1)'; then
  # Without a repository URL vsce cannot rewrite README's relative links and images: ship a README
  # copy without them (relative images dropped, relative links as plain text).
  README_TMP="$REPO_ROOT/README.vsix-$$.md"
  node -e '
    const fs = require("fs");
    let t = fs.readFileSync("README.md", "utf8");
    const rel = (u) => !/^(https?:|mailto:|#)/.test(u);
    t = t.replace(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)\n?/g, (m, u) => (rel(u) ? "" : m));
    t = t.replace(/<img[^>]*src="([^"]+)"[^>]*>/g, (m, u) => (rel(u) ? "" : m));
    t = t.replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (m, txt, u) => (rel(u) ? txt : m));
    fs.writeFileSync(process.argv[1], t);
  ' "$README_TMP"
  echo "README.md" >> "$IGNORE_FILE"
  VSCE_FLAGS+=(--allow-missing-repository --readme-path "$(basename "$README_TMP")")
fi
ls LICENSE* >/dev/null 2>&1 || VSCE_FLAGS+=(--skip-license)

log "vsce package ${VSCE_FLAGS[*]}"
rm -f "$OUT"
npx --no-install vsce package "${VSCE_FLAGS[@]}" </dev/null

# Check the result: size, required files, no foreign binaries.
SIZE_MB=$(( $(stat -c %s "$OUT") / 1024 / 1024 ))
LIST="$(unzip -Z1 "$OUT")"
need() { grep -qE "$1" <<<"$LIST" || die "VSIX lacks $1"; }
need '^extension/dist/extension\.js$'
need '^extension/dist/encoderWorker\.js$'
need '^extension/media/webview\.js$'
need '^extension/models/model\.json$'
need '^extension/models/[^/]+\.onnx$'
need "^extension/node_modules/onnxruntime-node/bin/napi-v6/$OS/$ARCH/onnxruntime_binding\.node$"
need "^extension/node_modules/@img/sharp-$OS-$ARCH/"
need '^extension/node_modules/sharp/package\.json$'
[ -f package.nls.json ] && need '^extension/package\.nls\.json$'
[ -f l10n/bundle.l10n.json ] && need '^extension/l10n/bundle\.l10n\.json$'
if grep -E '^extension/(src|test|training|bench|scripts|\.e2e)/|\.map$' <<<"$LIST" | head -3 | grep -q .; then
  die "VSIX contains files it should not: $(grep -E '^extension/(src|test|training|bench|scripts|\.e2e)/|\.map$' <<<"$LIST" | head -5 | tr '\n' ' ')"
fi
# The zero-shot build (models/zero-shot/) is for measuring the method, never shipped.
if grep -qE '^extension/models/zero-shot/' <<<"$LIST"; then die "VSIX contains the zero-shot build (models/zero-shot/)"; fi
# Every production dependency with node-gyp-build prebuilds must have one for the target.
for pkg in $(node -p 'Object.keys(require("./package.json").dependencies || {}).join(" ")'); do
  [ -d "node_modules/$pkg/prebuilds" ] || continue
  if grep -qE "^extension/node_modules/$pkg/prebuilds/$OS-[^/]*/.+\.node$" <<<"$LIST"; then continue; fi
  if ls -d "node_modules/$pkg/prebuilds/$OS-"* 2>/dev/null | grep -qE "[-+]$ARCH(\+|$)"; then
    die "$pkg: the prebuilt binary for $TARGET is in node_modules but not in the VSIX"
  fi
  log "WARNING: $pkg ships no prebuilt binary for $TARGET ($(ls "node_modules/$pkg/prebuilds" | tr '\n' ' ')): it will not load there"
done
FOREIGN="$(grep -E 'onnxruntime-node/bin/napi-v6/' <<<"$LIST" | grep -v "/napi-v6/$OS/$ARCH/" || true)"
[ -z "$FOREIGN" ] || die "VSIX contains other platforms' onnxruntime binaries: $FOREIGN"
log "$(basename "$OUT"): $SIZE_MB MB, $(wc -l <<<"$LIST") files"
echo "$OUT"
