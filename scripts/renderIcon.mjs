// Renders images/icon.svg to images/icon.png (128 x 128, the Marketplace's icon size) with Debian's headless
// chromium through playwright-core (both development tools; run by hand when the SVG changes).
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'images/icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('width="256" height="256"', 'width="128" height="128"')}</body></html>`,
  );
  await page.locator('svg').screenshot({ path: join(root, 'images/icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('wrote images/icon.png');
