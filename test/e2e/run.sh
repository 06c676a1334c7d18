#!/usr/bin/env bash
# Runs the end-to-end suites against the extension as users install it (see test/e2e/README.md):
#   1. build, `npm run package` (the .vsix), and install that .vsix into a throwaway code-server (VS Code 1.100.3);
#   2. the extension-host suite (mocha, `run()` in the standard layout) inside that VS Code;
#   3. the UI suite: the real workbench in headless chromium, driven with mouse and keyboard, on a Terraform file, a
#      CloudFormation template and a Bicep file; screenshots in out/;
#   4. Neovim's built-in LSP client, headless, against `node dist/server.js --stdio` (the same three languages).
# Prints each test and "N passed, N failed"; exits non-zero on any failure. Every process it starts is stopped on
# exit, and every folder VS Code writes to (user data, extensions, config, XDG, TMPDIR) is fresh and removed.
# Runs may overlap (several people share a tree): each works in its own temporary folder and only copies its
# screenshots and logs to test/e2e/out/ at the end.
# Env: E2E_SKIP_BUILD=1 reuses dist/ and the .vsix; E2E_PORT picks the port (default: a free one).
set -uo pipefail
# The whole script is one block, read before it runs, so editing this file never disturbs a run in progress.
{
E2E_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$E2E_DIR/../.." && pwd)"
TOOLS="$E2E_DIR/.tools"
OUT="$E2E_DIR/out"
CS="$TOOLS/node_modules/.bin/code-server"
VERSION="$(node -p 'require(process.argv[1]).version' "$ROOT/package.json")"
VSIX="$ROOT/onus-$VERSION.vsix"
t0=$SECONDS
lap() { echo "[e2e $((SECONDS - t0))s] $*"; }

if [ ! -x "$CS" ] || [ ! -d "$TOOLS/node_modules/playwright-core" ] || ! command -v nvim >/dev/null || [ ! -x /usr/bin/chromium ]; then
  echo "run.sh: the e2e tools are missing; run: bash test/e2e/setup.sh" >&2
  exit 2
fi

RUN="$(mktemp -d "${TMPDIR:-/tmp}/onus-e2e.XXXXXX")"
LEADERS=() # session leaders started below (code-server, drivers); their whole trees are stopped on exit

# Every live process we started: the trees under the leaders, plus anything whose command line names $RUN (a
# browser or server that was re-parented after its parent died).
our_processes() {
  ps -e -o pid=,ppid=,args= | awk -v run="$RUN" -v seeds="${LEADERS[*]:-}" -v self="$$" '
    BEGIN { n = split(seeds, s, " "); for (i = 1; i <= n; i++) mine[s[i]] = 1 }
    $3 ~ /(^|\/)awk$/ { next }
    { pid = $1; ppid[pid] = $2; if (pid != self && index($0, run) > 0) mine[pid] = 1; pids[++count] = pid }
    END {
      do { changed = 0; for (i = 1; i <= count; i++) { p = pids[i]; if (!(p in mine) && (ppid[p] in mine)) { mine[p] = 1; changed = 1 } } } while (changed)
      for (p in mine) if (p != self) print p
    }'
}

cleanup() {
  local pids left
  pids="$(our_processes)"
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null
    for _ in $(seq 1 50); do
      left="$(for p in $pids; do kill -0 "$p" 2>/dev/null && echo "$p"; done)"
      [ -z "$left" ] && break
      sleep 0.2
    done
    # shellcheck disable=SC2086
    [ -n "$left" ] && kill -KILL $left 2>/dev/null
  fi
  # Publish this run's screenshots and logs in one move each, so overlapping runs never mix or delete them.
  mkdir -p "$OUT" "$RUN/logs"
  cp "$RUN"/*.log "$RUN"/*.json "$RUN/logs/" 2>/dev/null
  for kind in screenshots logs; do
    if [ -d "$RUN/$kind" ]; then
      rm -rf "$OUT/$kind.old.$$"
      [ -e "$OUT/$kind" ] && mv "$OUT/$kind" "$OUT/$kind.old.$$"
      cp -r "$RUN/$kind" "$OUT/$kind.new.$$" && mv "$OUT/$kind.new.$$" "$OUT/$kind"
      rm -rf "$OUT/$kind.old.$$"
    fi
  done
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RUN/screenshots"

# 1. The extension as users get it.
cd "$ROOT"
if [ "${E2E_SKIP_BUILD:-}" != 1 ]; then
  npm run --silent build > "$RUN/build.log" 2>&1 || { cat "$RUN/build.log"; echo "run.sh: npm run build failed"; echo "0 passed, 1 failed"; exit 1; }
  if ! npm run package > "$RUN/package.log" 2>&1; then
    cat "$RUN/package.log"
    # vsce refuses to package a README with relative links when package.json names no repository. Until the
    # manifest says where it lives, package the same files with the links resolved against the repository.
    echo "WARNING: 'npm run package' failed (above); packaging the same files with --baseContentUrl for this run"
    npm run package -- --baseContentUrl https://github.com/onus-dev/onus/blob/main > "$RUN/package.log" 2>&1 ||
      { cat "$RUN/package.log"; echo "run.sh: packaging failed"; echo "0 passed, 1 failed"; exit 1; }
  fi
fi
[ -s "$VSIX" ] || { echo "run.sh: $VSIX is missing"; echo "0 passed, 1 failed"; exit 1; }
cp "$VSIX" "$RUN/" # this run's copy: another run may repackage meanwhile
VSIX="$RUN/$(basename "$VSIX")"
lap "built and packaged $(basename "$VSIX") ($(du -k "$VSIX" | cut -f1) KB)"

# The extension-host suite, bundled with mocha for the extension host (`vscode` is the host's own module). Mocha's
# parallel mode (the require.resolve warnings) is never loaded.
"$ROOT/node_modules/.bin/esbuild" "$E2E_DIR/suite/index.ts" "$E2E_DIR/suite/extension.test.ts" --bundle --platform=node \
  --format=cjs --target=node20 --sourcemap --log-level=warning --log-override:require-resolve-not-external=silent \
  --outdir="$RUN/suite" --external:vscode ||
  { echo "run.sh: bundling the extension-host suite failed"; echo "0 passed, 1 failed"; exit 1; }

# Fresh folders for everything VS Code and its tools write: user data, extensions, config, XDG dirs, TMPDIR.
mkdir -p "$RUN/data/User" "$RUN/exts" "$RUN/xdg" "$RUN/tmp"
export TMPDIR="$RUN/tmp" XDG_CONFIG_HOME="$RUN/xdg/config" XDG_DATA_HOME="$RUN/xdg/data" XDG_CACHE_HOME="$RUN/xdg/cache" XDG_STATE_HOME="$RUN/xdg/state"
cat > "$RUN/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "git.enabled": false
}
JSON
PORT="${E2E_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"
cs_args=(--config "$RUN/config.yaml" --user-data-dir "$RUN/data" --extensions-dir "$RUN/exts")
"$CS" "${cs_args[@]}" --install-extension "$VSIX" > "$RUN/install.log" 2>&1 ||
  { cat "$RUN/install.log"; echo "run.sh: installing the .vsix failed"; echo "0 passed, 1 failed"; exit 1; }
INSTALLED="$(ls -d "$RUN/exts"/onus.onus-* 2>/dev/null | head -1)"
[ -f "$INSTALLED/dist/server.js" ] || { cat "$RUN/install.log"; echo "run.sh: the .vsix did not install"; echo "0 passed, 1 failed"; exit 1; }
CS_VERSION_LINE="$("$CS" --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+' | head -1)"
lap "installed into code-server $CS_VERSION_LINE"

cp -r "$E2E_DIR/fixtures/workspace" "$RUN/ws"
cp -r "$E2E_DIR/fixtures/workspace/app" "$RUN/ws-ui"
cp "$E2E_DIR/fixtures/workspace/cfn/stack.yaml" "$E2E_DIR/fixtures/workspace/bicep/storage.bicep" "$RUN/ws-ui/"
# The UI suite points at editor lines by their pixels; code lenses arriving mid-step move them (the extension-host
# suite tests the lenses), so the UI workspace turns them off.
mkdir -p "$RUN/ws-ui/.vscode" && printf '{ "onus.codeLens.enable": false }\n' > "$RUN/ws-ui/.vscode/settings.json"
cp -r "$E2E_DIR/fixtures/workspace" "$RUN/ws-nvim"

# One code-server for both browser suites, in its own session so its whole tree can be stopped.
# E2E_RESULTS reaches the extension host through code-server's environment.
E2E_RESULTS="$RUN/ext-results.json" setsid "$CS" "${cs_args[@]}" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override > "$RUN/code-server.log" 2>&1 &
LEADERS+=("$!")
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.5; done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" || { cat "$RUN/code-server.log"; echo "run.sh: code-server did not start"; echo "0 passed, 1 failed"; exit 1; }
lap "code-server listening on 127.0.0.1:$PORT"

# 2. The extension-host suite. The installed extension's folder is also its development path, so the suite runs
# the packaged files (VS Code lets a development extension replace the installed one of the same id).
export CS_URL="http://127.0.0.1:$PORT" RUN_DIR="$RUN"
WS="$RUN/ws" EXT_DEV="$INSTALLED" EXT_TESTS="$RUN/suite" setsid node "$E2E_DIR/driver/runExtensionTests.js" > "$RUN/ext-host.log" 2>&1 &
LEADERS+=("$!")
wait "$!"; ext_rc=$?
sed -n 's/^\[page [a-z]*\] \(%c INFO color: #33f \)\{0,1\}\(\[onus e2e\]\)/  \2/p' "$RUN/ext-host.log" | head -40
lap "extension-host suite done (rc=$ext_rc)"

# 3. The UI suite (the installed .vsix, no development path).
WS="$RUN/ws-ui" SHOTS="$RUN/screenshots" RESULTS="$RUN/ui-results.json" setsid node "$E2E_DIR/driver/ui.js" > "$RUN/ui.log" 2>&1 &
LEADERS+=("$!")
wait "$!"; ui_rc=$?
sed 's/^/  /' "$RUN/ui.log" | grep -E '^\s+\[ui ' | head -100
lap "UI suite done (rc=$ui_rc)"

# 4. Neovim's LSP client against the server over stdio (the repository's build, the same files as in the .vsix).
( cd "$RUN" && LSP_CMD="node $ROOT/dist/server.js --stdio" FILE="$RUN/ws-nvim/fix/main.tf" \
    CFN_FILE="$RUN/ws-nvim/cfn/stack.yaml" BICEP_FILE="$RUN/ws-nvim/bicep/storage.bicep" timeout 300 nvim --headless -u NONE -i NONE -n -c "luafile $E2E_DIR/nvim/lspCheck.lua" ) > "$RUN/nvim-results.json" 2> "$RUN/nvim.log"
nvim_rc=$?
lap "Neovim check done (rc=$nvim_rc)"

echo "VS Code: $CS_VERSION_LINE (code-server), Neovim: $(nvim --version | head -1)"
echo "screenshots: $OUT/screenshots"
node "$E2E_DIR/driver/report.js" \
  "extension host (VS Code API)=$RUN/ext-results.json=$ext_rc=22" \
  "UI (workbench in headless chromium)=$RUN/ui-results.json=$ui_rc=20" \
  "Neovim LSP client=$RUN/nvim-results.json=$nvim_rc=5"
status=$?
lap "total"
exit $status
}
