#!/usr/bin/env bash
# Every real-editor suite: installs what it needs (Debian, PyPI, npm; cached in .editor-test-cache/), then runs
#   Neovim 0.11 (built-in LSP client), Emacs 28 + eglot, Vim 9 + ALE  — headless, against the real nnterm-ls;
#   VS Code (code-server's VS Code server + Chromium): mocha tests of editor/vscode, then a UI smoke test of the .vsix.
# Exits non-zero if any suite fails.
#   tests/editors/run.sh                 everything
#   tests/editors/run.sh neovim emacs    only these (neovim | emacs | vim | vscode | vscode-ui)
#   tests/editors/run.sh --self-test     also prove the headless suites fail against a deliberately wrong server
# Env: NNTERM_LS_BIN  folder holding the nnterm-ls to test (default .venv/bin of the repo)
#      NNTERM_EDITOR_CACHE  install cache (default .editor-test-cache/ in the repo)
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../.." && pwd)"
export NNTERM_EDITOR_CACHE="${NNTERM_EDITOR_CACHE:-$ROOT/.editor-test-cache}"
export NNTERM_LS_BIN="${NNTERM_LS_BIN:-$ROOT/.venv/bin}"
SELF_TEST=0; suites=()
for a in "$@"; do case "$a" in --self-test) SELF_TEST=1 ;; *) suites+=("$a") ;; esac; done
[ ${#suites[@]} -gt 0 ] || suites=(neovim emacs vim vscode vscode-ui)
start=$(date +%s)

if [ ! -x "$NNTERM_LS_BIN/nnterm-ls" ]; then
  echo "no nnterm-ls in $NNTERM_LS_BIN (python3 -m venv .venv && .venv/bin/pip install -e .)" >&2; exit 2
fi

# installs (idempotent)
steps=()
for s in "${suites[@]}"; do
  case "$s" in
    neovim) steps+=(nvim) ;;
    emacs|vim) steps+=(apt) ;;
    vscode|vscode-ui) steps+=(apt vscode ext) ;;
    *) echo "unknown suite $s" >&2; exit 2 ;;
  esac
done
"$HERE/setup.sh" $(printf '%s\n' "${steps[@]}" | awk '!seen[$0]++') || { echo "setup failed" >&2; exit 1; }
echo "setup: $(( $(date +%s) - start )) s"

declare -A result
failed=0
for s in "${suites[@]}"; do
  t0=$(date +%s)
  echo; echo "===== $s"
  if "$HERE/$s/run.sh"; then result[$s]="passed"; else result[$s]="FAILED"; failed=1; fi
  result[$s]="${result[$s]} ($(( $(date +%s) - t0 )) s)"
done

if [ $SELF_TEST = 1 ]; then
  # a deliberately wrong server: every headless suite must fail against it
  fake="$(mktemp -d)"
  printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$ROOT/.venv/bin/python" "$HERE/broken_server.py" > "$fake/nnterm-ls"
  chmod +x "$fake/nnterm-ls"
  for s in neovim emacs vim; do
    [[ " ${suites[*]} " == *" $s "* ]] || continue
    echo; echo "===== self-test: $s against a wrong server (must fail)"
    if NNTERM_LS_BIN="$fake" NNTERM_E2E_TIMEOUT=3 "$HERE/$s/run.sh"; then
      result["self-test $s"]="FAILED (passed against a wrong server)"; failed=1
    else
      result["self-test $s"]="passed (the suite caught the wrong answers)"
    fi
  done
  rm -rf "$fake"
fi

echo; echo "===== real-editor suites ($(( $(date +%s) - start )) s in all)"
for k in "${!result[@]}"; do printf '  %-16s %s\n' "$k" "${result[$k]}"; done | sort
n_passed=0; n_failed=0
for k in "${!result[@]}"; do case "${result[$k]}" in passed*) n_passed=$((n_passed + 1)) ;; *) n_failed=$((n_failed + 1)) ;; esac; done
echo "editors: $n_passed passed, $n_failed failed"
exit $failed
