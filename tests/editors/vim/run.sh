#!/usr/bin/env bash
# Vim 9 + ALE (Debian vim-nox, vim-ale) end-to-end check. Needs tests/editors/setup.sh apt.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../../.." && pwd)"
WS="$(mktemp -d)"; trap 'rm -rf "$WS"' EXIT
cp "$ROOT"/tests/editors/fixtures/* "$WS/"
export NNTERM_REPO="$ROOT" NNTERM_WS="$WS" NNTERM_OUT="$WS/vim.out" PATH="${NNTERM_LS_BIN:-$ROOT/.venv/bin}:$PATH" HOME="$WS"
VIM=$(command -v vim.nox || command -v vim)
"$VIM" --version | head -1
st=0; cd "$WS" && timeout 120 "$VIM" -N -es -i NONE -n -u "$HERE/check.vim" </dev/null || st=$?
cat "$NNTERM_OUT" 2>/dev/null || echo "FAIL  vim wrote no report (exit $st)"
exit $st
