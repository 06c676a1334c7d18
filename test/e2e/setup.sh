#!/usr/bin/env bash
# One-time, idempotent install of what the e2e suites need, from the npm registry and Debian only:
#   - code-server (VS Code's own server build) pinned to the last release whose Node engine is 20 (the machine's),
#   - playwright-core (drives the workbench) and Debian's chromium (the browser it drives),
#   - Debian's neovim (a second, editor-independent LSP client).
# Everything npm installs goes into test/e2e/.tools (gitignored), never into the project's package.json.
# See ../../../shared/E2E.md (the probe notes) for why each workaround below is needed.
set -euo pipefail
E2E_DIR="$(cd "$(dirname "$0")" && pwd)"
TOOLS="$E2E_DIR/.tools"
CS_VERSION=4.100.3          # VS Code 1.100.3; code-server 4.103+ needs Node 22, 4.133+ Node 24
PW_VERSION=1.65.1           # playwright-core; only its protocol client is used (the browser is Debian's)
RG_PIN=1.15.11              # @vscode/ripgrep version in code-server 4.100.3's lib/vscode/npm-shrinkwrap.json
RG_TAG=v13.0.0-10           # ripgrep release that @vscode/ripgrep 1.15.11 downloads (lib/postinstall.js VERSION)
export DEBIAN_FRONTEND=noninteractive
t0=$SECONDS

# chromium: the browser; libkrb5-dev + pkg-config: code-server's kerberos native module; ripgrep: seeds
# @vscode/ripgrep (below); neovim: the headless LSP check.
apt_result="$(bash "$E2E_DIR/apt.sh" chromium libkrb5-dev pkg-config ripgrep neovim)"
echo "setup: $apt_result: $((SECONDS - t0))s"
t1=$SECONDS

# @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable here. Seed its download cache with
# Debian's rg (13.0.0, the version that tag ships); the postinstall then logs "Using cached download".
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RG_PIN"
RG_ASSET="$RG_CACHE/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_ASSET" ]; then
  mkdir -p "$RG_CACHE"
  tmp="$(mktemp -d)"
  cp /usr/bin/rg "$tmp/rg"
  tar czf "$RG_ASSET.part" -C "$tmp" rg && mv "$RG_ASSET.part" "$RG_ASSET"
  rm -rf "$tmp"
fi

mkdir -p "$TOOLS"
cd "$TOOLS"
[ -f package.json ] || echo '{"name":"onus-e2e-tools","private":true}' > package.json
installed_cs="$(node_modules/.bin/code-server --version 2>/dev/null | head -1 | cut -d' ' -f1 || true)"
installed_pw="$(node -p 'require("./node_modules/playwright-core/package.json").version' 2>/dev/null || true)"
if [ "$installed_cs" != "$CS_VERSION" ] || [ "$installed_pw" != "$PW_VERSION" ]; then
  # unsafe_perm: code-server 4.100's postinstall refuses to run as root without it (npm warns "Unknown env config").
  # yes: node-pty's postinstall runs `npx node-gyp`, and ~/.npmrc may say yes=false.
  # nodedir: build native modules against Debian's Node headers instead of downloading them.
  npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
    npm install --no-audit --no-fund --loglevel=error --save-exact \
      "code-server@$CS_VERSION" "playwright-core@$PW_VERSION"
fi
echo "setup: npm (code-server $CS_VERSION, playwright-core $PW_VERSION): $((SECONDS - t1))s"
echo "setup: total $((SECONDS - t0))s"
