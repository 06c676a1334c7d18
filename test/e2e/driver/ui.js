// The UI suite: the installed Onus .vsix in code-server's real workbench, driven in headless chromium the way a
// user works, once per language (a Terraform file, a CloudFormation template, a Bicep file): open the file, see the
// squiggle, the status bar counts and the Problems row, hover it and read who owns the setting, apply the quick fix
// with Ctrl+. and Enter, and see the squiggle and the row go. Between languages the previous file is reverted and
// closed, and its rows must leave the Problems panel first (the panel's list is virtual: rows scrolled out of view
// are not in the page).
// Env: CS_URL, WS (the workspace folder: a copy of fixtures/workspace/app plus cfn/stack.yaml and
// bicep/storage.bicep), RUN_DIR, SHOTS (screenshot folder), RESULTS (JSON file with one record per step).
// Exit code 0 when every step passed. Screenshots: <language>-<n>-<what>.png.
// The steps share one page and run in order; after a failure the remaining steps are reported as not run (failed).
'use strict';
const fs = require('fs');
const path = require('path');
const { launch, workbenchUrl } = require('./browser');

const { CS_URL, WS, RUN_DIR, SHOTS, RESULTS } = process.env;
// Generous: two shared cores; the first squiggle waits for activation, the server's start and its first analysis.
const LONG = 90000;
const SHORT = 30000;

/**
 * One pass per language. `line` identifies the editor line of the finding, `fixedLine` the same line after the fix;
 * `row` is text only the finding's Problems row has; `status` the status bar text for the file (errors, warnings,
 * infos); `remaining` a finding of the same file that the fix must leave alone.
 */
const PASSES = [
  {
    id: 'terraform',
    name: 'Terraform',
    file: 'main.tf',
    line: '"public-read"',
    squiggle: 'error',
    rule: 'aws-s3-public-acl',
    row: ['S3 bucket uses the public canned ACL "public-read"', 'customer-owned', 'onus', 'aws-s3-public-acl', 'Ln 11, Col 12'],
    status: 'Onus 5 7 8',
    hover: /customer's job \(network layer\)/,
    fix: 'Set the ACL to "private"',
    fixedLine: 'acl    = "private"',
    remaining: 'aws-rds-public-access',
  },
  {
    id: 'cloudformation',
    name: 'CloudFormation',
    file: 'stack.yaml',
    line: 'AccessControl: PublicRead',
    squiggle: 'error',
    rule: 'aws-s3-public-acl',
    row: ['S3 bucket uses the public canned ACL "PublicRead"', 'customer-owned', 'onus', 'aws-s3-public-acl', 'Ln 9, Col 22'],
    status: 'Onus 3 4 6',
    hover: /customer's job \(network layer\)/,
    fix: 'Set the ACL to "Private"',
    fixedLine: 'AccessControl: Private',
    remaining: 'aws-rds-public-access',
  },
  {
    id: 'bicep',
    name: 'Bicep',
    file: 'storage.bicep',
    line: "minimumTlsVersion: 'TLS1_0'",
    squiggle: 'warning',
    rule: 'azure-storage-min-tls',
    row: ['Storage account accepts TLS versions older than 1.2', 'customer-owned', 'onus', 'azure-storage-min-tls', 'Ln 12, Col 24'],
    status: 'Onus 1 3 1',
    hover: /customer's job \(network layer\)/,
    fix: 'Require TLS 1.2',
    fixedLine: "minimumTlsVersion: 'TLS1_2'",
    remaining: 'azure-storage-https-only',
  },
];

const t0 = Date.now();
const lap = (message) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);

/** The bounding box of the editor line holding `text` (the editor renders every line of this short file). */
async function lineBox(page, text) {
  const line = page.locator('.monaco-editor .view-lines .view-line', { hasText: text }).first();
  await line.waitFor({ timeout: SHORT });
  // The editor re-renders its lines when code lenses arrive, so a line found a moment ago may be detached: ask again.
  return poll(`the editor line holding ${text}`, () => line.boundingBox().catch(() => null), SHORT);
}

/** The squiggles of `kind` ('error', 'warning') whose vertical centre lies on the editor line holding `text`. */
async function squigglesOnLine(page, text, kind) {
  const box = await lineBox(page, text);
  const squiggles = await page.locator(`.monaco-editor .squiggly-${kind}`).all();
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

const squash = (text) => text.replace(/\s+/g, ' ').trim();

(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const shot = async (page, name) => {
    const file = path.join(SHOTS, name);
    await page.screenshot({ path: file });
    lap(`screenshot ${name}`);
  };
  const { page, close } = await launch(RUN_DIR);
  page.on('pageerror', (error) => console.log(`[page error] ${String(error).slice(0, 300)}`));
  const rows = () => page.locator('.markers-panel .monaco-list-row');

  /** Runs a command from the command palette by its title (checks that it is the focused entry first). */
  async function runCommand(title) {
    await page.keyboard.press('Control+Shift+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: SHORT });
    await page.keyboard.type(title);
    const focused = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first();
    await focused.waitFor({ timeout: SHORT });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: SHORT });
  }

  /** Opens a workspace file with Quick Open (Ctrl+P), as a user would. */
  async function quickOpen(file) {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: SHORT });
    await page.keyboard.type(file);
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: file }).first().waitFor({ timeout: SHORT });
    await page.keyboard.press('Enter');
  }

  /** The steps of one language's pass; `previous` is the pass before it (its file is reverted and closed first). */
  function passSteps(pass, previous) {
    const state = { squiggle: null };
    const problemsRow = () => rows().filter({ hasText: pass.row[0] }).first();
    const open = previous
      ? `after reverting and closing ${previous.file} (its Problems rows go), opening ${pass.file}`
      : `opening ${pass.file}`;
    return [
      [`${open} shows a${pass.squiggle === 'error' ? 'n' : ''} ${pass.squiggle} squiggle under ${pass.line}`, async () => {
        if (previous) {
          await runCommand('View: Revert and Close Editor');
          await poll(`no Problems row for ${previous.file} after closing it`, async () => (await rows().filter({ hasText: previous.file }).count()) === 0, LONG);
          lap(`${previous.file} closed; its rows are gone`);
        } else {
          await page.goto(workbenchUrl(CS_URL, WS));
          await page.waitForSelector('.monaco-workbench', { timeout: LONG });
          lap('workbench');
        }
        await quickOpen(pass.file);
        await lineBox(page, pass.line);
        const boxes = await poll(`a ${pass.squiggle} squiggle on the line ${pass.line}`, () =>
          squigglesOnLine(page, pass.line, pass.squiggle).then((b) => b.length && b), LONG);
        state.squiggle = boxes[0];
        lap(`${pass.name}: squiggle at ${JSON.stringify(state.squiggle)}`);
        await shot(page, `${pass.id}-1-squiggle.png`);
      }],
      [`the status bar shows the Onus problem counts of ${pass.file} (${pass.status})`, async () => {
        const item = page.locator('.statusbar-item', { hasText: /^Onus\b/ }).first();
        await item.waitFor({ timeout: SHORT });
        // The item follows the active editor and its diagnostics: poll until it shows this file's counts.
        let text = '';
        await poll(`status bar ${JSON.stringify(pass.status)}`, async () => {
          text = squash(await item.innerText());
          return text === pass.status;
        }, SHORT).catch((error) => {
          throw new Error(`${error.message}; it shows ${JSON.stringify(text)}`);
        });
        lap(`status bar: ${JSON.stringify(text)}`);
      }],
      [`the Problems panel lists the finding with its rule id (${pass.rule})`, async () => {
        if (!(await page.locator('.markers-panel').isVisible().catch(() => false))) {
          await page.keyboard.press('Control+Shift+M');
        }
        await problemsRow().waitFor({ timeout: SHORT });
        const text = squash(await problemsRow().innerText());
        lap(`problems row: ${JSON.stringify(text)}`);
        for (const expected of pass.row) {
          if (!text.includes(expected)) {
            throw new Error(`the Problems row ${JSON.stringify(text)} lacks ${JSON.stringify(expected)}`);
          }
        }
        await shot(page, `${pass.id}-2-problems.png`);
      }],
      ['hovering the squiggle says whose job the setting is', async () => {
        const b = state.squiggle;
        await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
        const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: "customer's" }).first();
        await hover.waitFor({ timeout: SHORT });
        const text = squash(await hover.innerText());
        lap(`hover: ${JSON.stringify(text.slice(0, 400))}`);
        await page.waitForTimeout(600); // let the hover's fade-in finish before the screenshot
        if (!pass.hover.test(text) || !text.includes(pass.rule)) {
          throw new Error(`the hover does not name the owner and the rule: ${JSON.stringify(text)}`);
        }
        await shot(page, `${pass.id}-3-hover.png`);
      }],
      [`Ctrl+. offers "${pass.fix}" and Enter applies it`, async () => {
        const b = state.squiggle;
        await page.keyboard.press('Escape');
        await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2); // the cursor on the finding
        await page.mouse.move(5, 5); // away, so no hover covers the menu
        await page.keyboard.press('Control+.');
        const menu = page.locator('.action-widget');
        await menu.locator('.monaco-list-row', { hasText: pass.fix }).first().waitFor({ timeout: SHORT });
        const items = (await menu.locator('.monaco-list-row').allInnerTexts()).map(squash);
        lap(`quick fix menu: ${JSON.stringify(items)}`);
        // Keyboard only: move the focus down to the fix (clicks on the list are intercepted by its overlay).
        for (let i = 0; i < items.length; i++) {
          const focused = await menu.locator('.monaco-list-row.focused').first().innerText().catch(() => '');
          if (focused.includes(pass.fix)) {
            break;
          }
          await page.keyboard.press('ArrowDown');
        }
        const focused = await menu.locator('.monaco-list-row.focused').first().innerText();
        if (!focused.includes(pass.fix)) {
          throw new Error(`could not focus the fix; focused: ${JSON.stringify(focused)}`);
        }
        await shot(page, `${pass.id}-4-quickfix.png`);
        await page.keyboard.press('Enter');
        await page.locator('.monaco-editor .view-line', { hasText: pass.fixedLine }).first().waitFor({ timeout: SHORT });
        lap(`${pass.name}: fix applied`);
      }],
      ['the squiggle and the Problems row go away; the other findings stay', async () => {
        await problemsRow().waitFor({ state: 'detached', timeout: SHORT });
        await poll(`no ${pass.squiggle} squiggle on the fixed line`, () =>
          squigglesOnLine(page, pass.fixedLine, pass.squiggle).then((b) => b.length === 0), SHORT);
        await rows().filter({ hasText: pass.remaining }).first().waitFor({ timeout: SHORT });
        lap(`${pass.name}: squiggle and row gone`);
        await shot(page, `${pass.id}-5-fixed.png`);
      }],
    ].map(([title, run]) => [`${pass.name}: ${title}`, run, pass]);
  }

  /** The matrix view's page: the webview's outer frame, then the frame VS Code puts the HTML in. */
  const matrixPage = () => page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  const matrixPass = { id: 'matrix', name: 'Responsibility Matrix', isIndependent: true };
  const matrixSteps = [
    ['"Onus: Show Responsibility Matrix" from the command palette opens the view with a row per service in use', async () => {
      await page.keyboard.press('Escape'); // whatever an earlier pass left open (a hover, a quick fix menu)
      await runCommand('Onus: Show Responsibility Matrix');
      await matrixPage().locator('tr.service').first().waitFor({ timeout: LONG });
      const services = await matrixPage().locator('tr.service').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-service')));
      for (const id of ['aws/s3', 'aws/rds', 'azure/storage']) {
        if (!services.includes(id)) {
          throw new Error(`no row for ${id}: ${services.join(', ')}`);
        }
      }
      const cell = squash(await matrixPage().locator('tr.service[data-service="aws/rds"] td[data-layer="data"]').innerText());
      if (!/^CUSTOMER \d+ open/.test(cell)) {
        throw new Error(`the RDS data cell reads "${cell}"`);
      }
      lap(`matrix: ${services.length} services (${services.join(', ')})`);
      await shot(page, 'matrix-1-view.png');
    }],
    ['clicking a finding in the view opens its file at its line', async () => {
      const link = matrixPage().locator('details#svc-aws-rds li.finding a.loc').first();
      const [file, line] = [await link.getAttribute('data-file'), Number(await link.getAttribute('data-line'))];
      await link.click();
      const name = path.basename(file);
      await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: SHORT });
      await poll(`the cursor on line ${line} of ${name}`, async () =>
        (await page.locator('.statusbar-item[id="status.editor.selection"]').innerText().catch(() => '')).includes(`Ln ${line},`), SHORT);
      lap(`matrix: opened ${name} at line ${line}`);
      await shot(page, 'matrix-2-opened.png');
    }],
  ].map(([title, run]) => [`${matrixPass.name}: ${title}`, run, matrixPass]);

  const steps = [...PASSES.flatMap((pass, i) => passSteps(pass, PASSES[i - 1])), ...matrixSteps];
  const records = [];
  let failed = false;
  const failedPasses = new Set();
  for (const [title, run, pass] of steps) {
    const start = Date.now();
    // A language pass needs the ones before it (each closes the previous file); an independent pass (the matrix)
    // needs only its own earlier steps.
    if ((failed && !pass.isIndependent) || failedPasses.has(pass.id)) {
      records.push({ title, state: 'failed', durationMs: 0, error: 'not run: an earlier step failed' });
      continue;
    }
    try {
      await run();
      records.push({ title, state: 'passed', durationMs: Date.now() - start });
    } catch (error) {
      failed = true;
      failedPasses.add(pass.id);
      records.push({ title, state: 'failed', durationMs: Date.now() - start, error: String(error && error.message).split('\n')[0] });
      lap(`FAILED: ${title}: ${error && error.message}`);
      await shot(page, `${pass.id}-failure.png`).catch(() => {});
    }
  }
  fs.writeFileSync(RESULTS, JSON.stringify({ suite: 'ui', tests: records }, null, 2));
  await close();
  process.exit(failed ? 1 : 0);
})().catch((error) => {
  console.log('ui driver error:', error && error.stack);
  process.exit(1);
});
