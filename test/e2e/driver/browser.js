// Shared by the two browser drivers: launches Debian's chromium headless through playwright-core (installed in
// test/e2e/.tools by setup.sh) with a throwaway profile, and builds code-server workbench URLs.
'use strict';
const fs = require('fs');
const path = require('path');

const TOOLS = process.env.E2E_TOOLS || path.join(__dirname, '..', '.tools');
const { chromium } = require(path.join(TOOLS, 'node_modules', 'playwright-core'));

/** Launches chromium with a fresh profile under `profileParent`; returns { context, page, close }. */
async function launch(profileParent, viewport = { width: 1400, height: 900 }) {
  const profile = fs.mkdtempSync(path.join(profileParent, 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
  const page = context.pages()[0] || (await context.newPage());
  // Newer VS Code builds (1.139 verified; 1.100 does not need it) honour the extension-development payload in a web
  // workbench only with developmentOptions.enableSmokeTestDriver, which code-server has no flag for: set it in the
  // configuration embedded in the page before the workbench reads it. Harmless on 1.100.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const el = document.getElementById('vscode-workbench-web-configuration');
      if (!el || !el.hasAttribute('data-settings')) {
        return;
      }
      const config = JSON.parse(el.getAttribute('data-settings'));
      config.developmentOptions = { ...(config.developmentOptions || {}), enableSmokeTestDriver: true };
      el.setAttribute('data-settings', JSON.stringify(config));
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/**
 * The workbench URL for `folder`. Paths in the payload must be `vscode-remote://host:port/abs/path` URIs: with
 * plain paths VS Code finds "no extension host that can launch the test runner".
 */
function workbenchUrl(base, folder, payload) {
  const host = new URL(base).host;
  const entries = Object.entries(payload || {}).map(([key, p]) => [key, `vscode-remote://${host}${p}`]);
  const query = entries.length ? `&payload=${encodeURIComponent(JSON.stringify(entries))}` : '';
  return `${base}/?folder=${encodeURIComponent(folder)}${query}`;
}

module.exports = { launch, workbenchUrl };
