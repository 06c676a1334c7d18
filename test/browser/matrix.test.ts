/**
 * The Responsibility Matrix page in a real browser: Debian's headless chromium driven by playwright-core opens the
 * HTML of the matrix fixture workspace (Terraform, CloudFormation and Bicep) and checks what a user sees: the rows,
 * the cells with their owners and states, the gap markers and their details; the webview's script posting "open"
 * and "export" messages; and a page built from a hostile resource name that must show the name as text. Saves a
 * screenshot under test/browser/out/ and prints its path.
 *
 * Needs chromium (`/usr/bin/chromium`, or `CHROMIUM`): `.ci/run` installs it; elsewhere, without it, the suite says
 * so and is pending, except under CI, where a missing browser fails.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { analyzeUnitOf } from '../../server/src/engine/analyze';
import { buildMatrix } from '../../server/src/engine/matrix';
import { MatrixData } from '../../server/src/engine/matrixData';
import { renderMatrixHtml } from '../../server/src/engine/matrixHtml';
import { fixtureRuleSet, matrixOf, MATRIX_WORKSPACE } from '../engine/matrixFixture';
import { memoryFileSystem } from '../support/memoryFileSystem';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OUT = path.join(__dirname, 'out');
const hasChromium = fs.existsSync(CHROMIUM);

/** A stand-in for VS Code's `acquireVsCodeApi` that records the messages the page posts in `window.posted`. */
const VSCODE_API = 'window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m) });';

describe('Responsibility Matrix page in headless chromium', function () {
  this.timeout(120000);
  let browser: Browser | undefined;
  let dir: string;
  const ruleSet = fixtureRuleSet();
  const matrix = MatrixData.mapFiles(matrixOf([MATRIX_WORKSPACE], ruleSet), (f) =>
    path.relative(MATRIX_WORKSPACE, f).split(path.sep).join('/'),
  );

  before(async function () {
    if (!hasChromium) {
      if (process.env.CI === 'true') {
        throw new Error(`chromium is missing at ${CHROMIUM}; .ci/run installs Debian's chromium package`);
      }
      console.log(`    (no chromium at ${CHROMIUM}: the browser tests are pending; apt-get install chromium, or set CHROMIUM)`);
      this.skip();
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onus-matrix-page-'));
  });

  after(async () => {
    await browser?.close();
    if (dir) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Writes a page and opens it; records every request other than the page itself, and every dialog. */
  async function open(name: string, html: string, init?: string) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, html);
    const page = await browser!.newPage({ viewport: { width: 1500, height: 1000 } });
    const requests: string[] = [];
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== pathToFileURL(file).href) {
        requests.push(r.url());
      }
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    if (init) {
      // As a string: a function would be serialised with the test runner's compiled helpers, unknown to the page.
      await page.addInitScript({ content: init });
    }
    await page.goto(pathToFileURL(file).href);
    return { page, requests, dialogs, errors };
  }

  /** The visible text of a cell. */
  const cellText = (page: Page, service: string, layer: string) =>
    page.locator(`tr.service[data-service="${service}"] td[data-layer="${layer}"]`).innerText();

  it('shows a row per service under its provider, with model, resource count and six cells', async () => {
    const { page, requests, errors } = await open('matrix.html', renderMatrixHtml(matrix));
    assert.deepEqual(await page.locator('tr.provider th').allInnerTexts(), ['AWS', 'Azure']);
    // Page functions as strings: the tests compile without the DOM's types.
    const rows = await page.evaluate<string[][]>(
      `[...document.querySelectorAll('tr.service')].map((tr) => [...tr.querySelectorAll('th, td')].slice(0, 3).map((c) => c.innerText.replace(/\\s+/g, ' ').trim()))`,
    );
    assert.deepEqual(rows, [
      ['Amazon RDS aws/rds', 'container', '2'],
      ['Amazon S3 aws/s3', 'abstracted', '9'],
      ['Azure Monitor azure/monitor', 'saas', '1'],
      ['Azure Storage azure/storage', 'paas', '2'],
    ]);
    assert.deepEqual(await page.locator('thead th').allInnerTexts(), ['Service', 'Model', 'Resources', 'Data', 'Identity', 'Application', 'Network', 'OS', 'Physical']);
    assert.equal(await page.locator('tr.service[data-service="aws/s3"] td.cell').count(), 6);
    assert.match(await page.locator('#summary').innerText(), /4 files · 4 services · 14 resources · 15 open findings · 4 responsibility gaps/);
    assert.deepEqual(requests, [], 'the page loads nothing');
    assert.deepEqual(errors, []);
    const shot = path.join(OUT, 'matrix.png');
    fs.mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`    screenshot: ${path.relative(process.cwd(), shot)}`);
    await page.close();
  });

  it('marks each cell with its owner and state: open, gap, secure, not checked, the provider', async () => {
    const { page } = await open('matrix.html', renderMatrixHtml(matrix));
    assert.equal(await cellText(page, 'aws/rds', 'data'), 'CUSTOMER\n1 open');
    assert.equal(await cellText(page, 'azure/storage', 'data'), 'CUSTOMER\n1 gap');
    assert.equal(await cellText(page, 'azure/storage', 'network'), 'SHARED\nsecure');
    assert.equal(await cellText(page, 'aws/s3', 'identity'), 'CUSTOMER\nnot checked');
    assert.equal(await cellText(page, 'aws/s3', 'os'), 'PROVIDER\nprovider');
    assert.match(await cellText(page, 'aws/s3', 'data'), /^CUSTOMER\n8 open, 3 gaps$/);
    // The gap marker is coloured: the cell's badge is orange, the open one red.
    const badge = (service: string, layer: string) =>
      page.evaluate<string>(
        `getComputedStyle(document.querySelector('tr.service[data-service="${service}"] td[data-layer="${layer}"] .badge')).backgroundColor`,
      );
    assert.equal(await badge('azure/storage', 'data'), 'rgb(188, 76, 0)');
    assert.equal(await badge('aws/rds', 'data'), 'rgb(209, 36, 47)');
    await page.close();
  });

  it("lists each gap with its resource, file and line under the service, reached from the cell's marker", async () => {
    const { page } = await open('matrix.html', renderMatrixHtml(matrix));
    await page.locator('tr.service[data-service="azure/storage"] td[data-layer="data"] a.badge').click();
    assert.ok(page.url().endsWith('#svc-azure-storage'));
    const details = page.locator('details#svc-azure-storage');
    assert.equal(await details.getAttribute('open'), '');
    const gaps = await details.locator('li.gap').allInnerTexts();
    assert.deepEqual(gaps.map((t) => t.replace(/\s+/g, ' ').trim()), [
      'bicep/main.bicep:34 GAP unlogged: Diagnostic settings is not configured — fulfilled by resource Microsoft.Insights/diagnosticSettings',
    ]);
    const s3Gaps = await page.locator('details#svc-aws-s3 li.gap').allInnerTexts();
    assert.equal(s3Gaps.length, 3);
    assert.match(s3Gaps[0]!, /^cloudformation\/stack\.yaml:16 GAP UploadLogs: Cross-region replication is not configured/);
    const finding = await page.locator('details#svc-aws-rds li.finding').innerText();
    assert.equal(finding.replace(/\s+/g, ' ').trim(), 'cloudformation/stack.yaml:27 MEDIUM aws-rds-backup-retention RDS automated backups are disabled (data)');
    await page.close();
  });

  it('in the webview, a click on a place posts "open" with the file and line, and the buttons post "export"', async () => {
    const html = renderMatrixHtml(matrix, { nonce: 'n0nce', displayPath: (f) => `ws/${f}` });
    // VS Code's webview API, as the page sees it: it records what the script posts.
    const { page, errors } = await open('webview.html', html, VSCODE_API);
    await page.locator('details#svc-aws-rds li.finding a.loc').click();
    await page.getByRole('button', { name: 'Export to CSV' }).click();
    await page.getByRole('button', { name: 'Export to Markdown' }).click();
    const posted = await page.evaluate<unknown[]>('window.posted');
    assert.deepEqual(posted, [
      { command: 'open', file: 'cloudformation/stack.yaml', line: 27, column: 30 },
      { command: 'export', format: 'csv' },
      { command: 'export', format: 'markdown' },
    ]);
    assert.equal(await page.locator('details#svc-aws-rds li.finding a.loc').innerText(), 'ws/cloudformation/stack.yaml:27');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows a hostile resource name as text: no element, no script, no request', async () => {
    const fsys = memoryFileSystem({
      '/ws/evil.yaml': `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  "<img src=x onerror=alert(1)>":\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: "<script>alert(2)</script>"\n`,
    });
    const evil = buildMatrix([{ analysis: analyzeUnitOf('/ws/evil.yaml', fsys, { rules: ruleSet }), isReported: () => true }], ruleSet, 1);
    for (const html of [renderMatrixHtml(evil), renderMatrixHtml(evil, { nonce: 'n0nce' })]) {
      const { page, requests, dialogs } = await open('evil.html', html, VSCODE_API);
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.locator('details#svc-aws-s3 li.resource code').first().innerText(), '<img src=x onerror=alert(1)>');
      assert.deepEqual(dialogs, []);
      assert.deepEqual(requests, []);
      await page.close();
    }
  });
});
