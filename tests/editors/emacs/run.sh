#!/usr/bin/env bash
# Emacs (Debian emacs-nox + elpa-eglot) end-to-end check. Needs tests/editors/setup.sh apt.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../../.." && pwd)"
WS="$(mktemp -d)"; trap 'rm -rf "$WS"' EXIT
cp "$ROOT"/tests/editors/fixtures/* "$WS/"
export NNTERM_REPO="$ROOT" NNTERM_WS="$WS" PATH="${NNTERM_LS_BIN:-$ROOT/.venv/bin}:$PATH" HOME="$WS/.home"
mkdir -p "$HOME"
emacs --version | head -1
cd "$WS" && timeout 120 emacs --batch -Q -l "$HERE/check.el" 2> "$WS/emacs.err" || { st=$?; echo "--- emacs stderr:"; tail -30 "$WS/emacs.err"; exit $st; }
