// code-server's equivalent of @vscode/test-electron's runTests(): opens the workbench with the
// extensionDevelopmentPath / extensionTestsPath payload in headless chromium, and waits for the workbench to call
// window.codeAutomationExit(code), which VS Code does when the suite's run() resolves (0) or rejects (1).
// Env: CS_URL, WS (workspace folder), EXT_DEV, EXT_TESTS, RUN_DIR (for the browser profile), TIMEOUT_MS.
// Exit code: the suite's (0 = all passed), 1 on a timeout.
'use strict';
const { launch, workbenchUrl } = require('./browser');

(async () => {
  const { CS_URL, WS, EXT_DEV, EXT_TESTS, RUN_DIR } = process.env;
  const timeoutMs = Number(process.env.TIMEOUT_MS || 600000);
  const { page, close } = await launch(RUN_DIR);
  let exit;
  const exited = new Promise((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  // The extension host's console (the suite's console.log, mocha's reporter) is forwarded to the page console.
  page.on('console', (message) => console.log(`[page ${message.type()}] ${message.text()}`.slice(0, 2000)));
  const url = workbenchUrl(CS_URL, WS, { extensionDevelopmentPath: EXT_DEV, extensionTestsPath: EXT_TESTS });
  console.log('open', url);
  await page.goto(url);
  let timer;
  const code = await Promise.race([
    exited,
    new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
  ]);
  clearTimeout(timer);
  console.log('codeAutomationExit:', code);
  await close();
  process.exit(code === 0 ? 0 : 1);
})().catch((error) => {
  console.log('driver error:', error && error.stack);
  process.exit(1);
});
