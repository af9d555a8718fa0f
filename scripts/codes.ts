/**
 * `npm run codes`: the 文明实践码 posters of a town (or of every town and the 中心) as A4 sheets,
 * laid out by scripts/poster-sheet.ts and printed by Chromium, which embeds the CJK fonts in the PDF.
 *
 *   PUBLIC_URL=https://wmsj.example.cn npm run codes -- --town 东升街道 [--format pdf|png] [--out DIR]
 *   PUBLIC_URL=https://wmsj.example.cn npm run codes -- --all
 *
 * The network comes from the county's files (NETWORK, SEED: the same nodes the store was seeded
 * with), so no database is needed; PUBLIC_URL and NETWORK are read and checked by server/config.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ConfigError, loadConfig } from '../server/config.js';
import { generateNetwork } from '../seed/network.js';
import { findSheet, sheetHtml, sheetsOf, SHEET, type Sheet } from './poster-sheet.js';

const USAGE = 'npm run codes -- --town <所 id or town name> | --all  [--format pdf|png] [--out DIR]';
const CHROMIUM = '/usr/bin/chromium';
/** A4 at CSS pixels (96 a inch); PNGs are taken at twice that, about 190 dpi. */
const VIEWPORT = { width: Math.ceil((SHEET.width / 25.4) * 96), height: Math.ceil((SHEET.height / 25.4) * 96) };

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      town: { type: 'string' },
      all: { type: 'boolean', default: false },
      format: { type: 'string', default: 'pdf' },
      out: { type: 'string', default: 'codes' },
    },
  }));
} catch (error) {
  fail(`${(error as Error).message}\nusage: ${USAGE}`);
}
const { town, all, format, out } = values;
if ((town === undefined) === !all) fail(`name one town or --all\nusage: ${USAGE}`);
if (format !== 'pdf' && format !== 'png') fail(`--format ${format}: pdf or png\nusage: ${USAGE}`);

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
if (config.PUBLIC_URL === '') {
  fail(
    'PUBLIC_URL is empty: a printed poster must link to the address phones reach the product at, ' +
      'not to localhost. Set it, e.g. PUBLIC_URL=https://wmsj.example.cn npm run codes -- --town …',
  );
}

const network = generateNetwork(config.NETWORK, config.SEED);
const sheets = sheetsOf(network, config.PUBLIC_URL);
const found = town === undefined ? undefined : findSheet(sheets, town);
if (town !== undefined && !found) {
  fail(
    `no town "${town}" in ${network.county.name}; one of:\n  ${sheets.map((s) => `${s.id} ${s.town}`).join('\n  ')}`,
  );
}
const chosen: Sheet[] = found ? [found] : sheets;

if (!existsSync(CHROMIUM))
  fail(`${CHROMIUM} is missing: install the Debian package chromium (apt-get install chromium)`);
// Without a CJK font Chromium prints empty boxes in place of every name, silently.
const cjk = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
if (cjk.trim() === '') fail('no Chinese font installed: install the Debian package fonts-noto-cjk');

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  // Root (a container, CI) cannot use Chromium's sandbox; the page is our own HTML, loading nothing.
  args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu', '--disable-background-networking'],
});
/** Why a sheet was not printed; said after the browser is closed. */
let refused = '';
try {
  const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 2 });
  for (const sheet of chosen) {
    await page.setContent(await sheetHtml(sheet, network.county.name), { waitUntil: 'load' });
    await page.evaluate('document.fonts.ready');
    const overflowing = await page.evaluate<string[]>(
      `[...document.querySelectorAll('.cell')].filter((c) => c.scrollHeight > c.clientHeight + 1 || c.scrollWidth > c.clientWidth + 1).map((c) => c.dataset.node)`,
    );
    if (overflowing.length > 0) {
      refused = `${sheet.town}: the text runs out of the poster of ${overflowing.join(', ')}; shorten its name or address`;
      break;
    }
    const base = join(out, `${network.county.adcode}-${sheet.id}-${sheet.town}`.replace(/[\\/:*?"<>|\s]/g, '_'));
    const files: string[] = [];
    if (format === 'pdf') {
      files.push(`${base}.pdf`);
      await page.pdf({ path: `${base}.pdf`, preferCSSPageSize: true, printBackground: true });
    } else {
      for (const [i, element] of (await page.$$('.page')).entries()) {
        files.push(`${base}-${i + 1}.png`);
        await element.screenshot({ path: `${base}-${i + 1}.png` });
      }
    }
    const n = sheet.posters.length;
    process.stdout.write(`${sheet.town}: ${n} poster${n === 1 ? '' : 's'} → ${files.join(' ')}\n`);
  }
} finally {
  await browser.close();
}
if (refused !== '') fail(refused);
