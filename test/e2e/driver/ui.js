// The UI suite: the installed Onus .vsix in code-server's real workbench, driven in headless chromium the way a
// user works: open a Terraform file, see the squiggle and the Problems row, hover it and read who owns the
// setting, apply the quick fix with Ctrl+. and Enter, and see the squiggle and the row go.
// Env: CS_URL, WS (the workspace folder: a copy of fixtures/workspace/app), RUN_DIR, SHOTS (screenshot folder),
// RESULTS (JSON file with one record per step). Exit code 0 when every step passed.
// The steps share one page and run in order; after a failure the remaining steps are reported as not run (failed).
'use strict';
const fs = require('fs');
const path = require('path');
const { launch, workbenchUrl } = require('./browser');

const { CS_URL, WS, RUN_DIR, SHOTS, RESULTS } = process.env;
const RULE = 'aws-s3-public-acl';
const FIX_TITLE = 'Set the ACL to "private"';
// Generous: two shared cores; the first squiggle waits for activation, the server's start and its first analysis.
const LONG = 90000;
const SHORT = 30000;

const t0 = Date.now();
const lap = (message) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);

/** The bounding box of the editor line holding `text` (the editor renders every line of this short file). */
async function lineBox(page, text) {
  const line = page.locator('.monaco-editor .view-lines .view-line', { hasText: text }).first();
  await line.waitFor({ timeout: SHORT });
  return line.boundingBox();
}

/** The error squiggles whose vertical centre lies on the editor line holding `text`. */
async function squigglesOnLine(page, text) {
  const box = await lineBox(page, text);
  const squiggles = await page.locator('.monaco-editor .squiggly-error').all();
  const out = [];
  for (const squiggle of squiggles) {
    const b = await squiggle.boundingBox().catch(() => null);
    if (b && b.y + b.height / 2 >= box.y && b.y + b.height / 2 <= box.y + box.height) {
      out.push(b);
    }
  }
  return out;
}

async function poll(what, probe, timeoutMs) {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const shot = async (page, name) => {
    const file = path.join(SHOTS, name);
    await page.screenshot({ path: file });
    lap(`screenshot ${name}`);
  };
  const { page, close } = await launch(RUN_DIR);
  page.on('pageerror', (error) => console.log(`[page error] ${String(error).slice(0, 300)}`));
  const state = { squiggle: null };
  const problemsRow = () => page.locator('.markers-panel .monaco-list-row', { hasText: RULE }).first();

  const steps = [
    ['opening main.tf shows an error squiggle under the public ACL', async () => {
      await page.goto(workbenchUrl(CS_URL, WS));
      await page.waitForSelector('.monaco-workbench', { timeout: LONG });
      lap('workbench');
      await page.keyboard.press('Control+P');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: SHORT });
      await page.keyboard.type('main.tf');
      await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: SHORT });
      await page.keyboard.press('Enter');
      await lineBox(page, '"public-read"');
      const boxes = await poll('an error squiggle on the acl line', () => squigglesOnLine(page, '"public-read"').then((b) => b.length && b), LONG);
      state.squiggle = boxes[0];
      lap(`squiggle at ${JSON.stringify(state.squiggle)}`);
      await shot(page, 'ui-1-squiggle.png');
    }],
    ['the status bar shows the Onus problem counts of the file', async () => {
      const item = page.locator('.statusbar-item', { hasText: /^Onus\b/ }).first();
      await item.waitFor({ timeout: SHORT });
      const text = (await item.innerText()).replace(/\s+/g, ' ').trim();
      lap(`status bar: ${JSON.stringify(text)}`);
      if (!/^Onus \d+ \d+ \d+$/.test(text)) {
        throw new Error(`unexpected status bar text ${JSON.stringify(text)}`);
      }
    }],
    [`the Problems panel lists the finding with its rule id (${RULE})`, async () => {
      await page.keyboard.press('Control+Shift+M');
      await problemsRow().waitFor({ timeout: SHORT });
      const text = (await problemsRow().innerText()).replace(/\s+/g, ' ');
      lap(`problems row: ${JSON.stringify(text)}`);
      for (const expected of ['S3 bucket uses the public canned ACL "public-read"', 'customer-owned', 'onus', RULE, 'Ln 11, Col 12']) {
        if (!text.includes(expected)) {
          throw new Error(`the Problems row ${JSON.stringify(text)} lacks ${JSON.stringify(expected)}`);
        }
      }
      await shot(page, 'ui-2-problems.png');
    }],
    ['hovering the squiggle says whose job the setting is', async () => {
      const b = state.squiggle;
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: "customer's" }).first();
      await hover.waitFor({ timeout: SHORT });
      const text = (await hover.innerText()).replace(/\s+/g, ' ');
      lap(`hover: ${JSON.stringify(text.slice(0, 400))}`);
      await page.waitForTimeout(600); // let the hover's fade-in finish before the screenshot
      if (!/customer's job \(network layer\)/.test(text) || !text.includes(RULE)) {
        throw new Error(`the hover does not name the owner and the rule: ${JSON.stringify(text)}`);
      }
      await shot(page, 'ui-3-hover.png');
    }],
    [`Ctrl+. offers "${FIX_TITLE}" and Enter applies it`, async () => {
      const b = state.squiggle;
      await page.keyboard.press('Escape');
      await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2); // the cursor on the finding
      await page.mouse.move(5, 5); // away, so no hover covers the menu
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget');
      await menu.locator('.monaco-list-row', { hasText: FIX_TITLE }).first().waitFor({ timeout: SHORT });
      const items = (await menu.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      lap(`quick fix menu: ${JSON.stringify(items)}`);
      // Keyboard only: move the focus down to the fix (clicks on the list are intercepted by its overlay).
      for (let i = 0; i < items.length; i++) {
        const focused = await menu.locator('.monaco-list-row.focused').first().innerText().catch(() => '');
        if (focused.includes(FIX_TITLE)) {
          break;
        }
        await page.keyboard.press('ArrowDown');
      }
      const focused = await menu.locator('.monaco-list-row.focused').first().innerText();
      if (!focused.includes(FIX_TITLE)) {
        throw new Error(`could not focus the fix; focused: ${JSON.stringify(focused)}`);
      }
      await shot(page, 'ui-4-quickfix.png');
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor .view-line', { hasText: 'acl    = "private"' }).first().waitFor({ timeout: SHORT });
      lap('fix applied');
    }],
    ['the squiggle and the Problems row go away; the other findings stay', async () => {
      await problemsRow().waitFor({ state: 'detached', timeout: SHORT });
      await poll('no squiggle on the acl line', () => squigglesOnLine(page, 'acl    = "private"').then((b) => b.length === 0), SHORT);
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'aws-rds-public-access' }).first().waitFor({ timeout: SHORT });
      lap('squiggle and row gone');
      await shot(page, 'ui-5-fixed.png');
    }],
  ];

  const records = [];
  let failed = false;
  for (const [title, run] of steps) {
    const start = Date.now();
    if (failed) {
      records.push({ title, state: 'failed', durationMs: 0, error: 'not run: an earlier step failed' });
      continue;
    }
    try {
      await run();
      records.push({ title, state: 'passed', durationMs: Date.now() - start });
    } catch (error) {
      failed = true;
      records.push({ title, state: 'failed', durationMs: Date.now() - start, error: String(error && error.message).split('\n')[0] });
      lap(`FAILED: ${title}: ${error && error.message}`);
      await shot(page, 'ui-failure.png').catch(() => {});
    }
  }
  fs.writeFileSync(RESULTS, JSON.stringify({ suite: 'ui', tests: records }, null, 2));
  await close();
  process.exit(failed ? 1 : 0);
})().catch((error) => {
  console.log('ui driver error:', error && error.stack);
  process.exit(1);
});
