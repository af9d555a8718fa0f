/**
 * `npm run codes` as an operator runs it: the script as a process on the example county, Chromium
 * printing, and the output read back with poppler (pages, embedded fonts, text) and a QR decoder
 * (jsQR on the rendered pages): every cell's code scans to its node's exact link, at least 3 cm
 * wide with its quiet zone clear.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsqr, { type QRCode } from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../../seed/network.js';
import { CALL_TO_ACTION, CELLS_PER_PAGE, SHEET, findSheet, sheetsOf } from '../../scripts/poster-sheet.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = join(ROOT, 'tests/fixtures/county-example');
const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
const PUBLIC_URL = 'https://wmsj.example.test';
/** jsQR is CommonJS: under NodeNext its default import is the module, whose `default` is the decoder. */
const jsQR = jsqr.default;
const sheets = sheetsOf(generateNetwork(EXAMPLE), PUBLIC_URL);
const linksOf = (town: string): string[] =>
  (findSheet(sheets, town)?.posters ?? []).map((p) => `${PUBLIC_URL}/c/429999-${p.node.id}`);

function codes(args: string[], env: Record<string, string> = {}) {
  return spawnSync('node', ['--import', 'tsx', 'scripts/codes.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, NETWORK: EXAMPLE, PUBLIC_URL, SEED: '', ...env },
    encoding: 'utf8',
    timeout: 100_000,
  });
}
const tool = (cmd: string, args: string[]): string => {
  const done = spawnSync(cmd, args, { encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${done.stderr}`);
  return done.stdout;
};

/** Each cell's decoded code on a rendered page (null for an empty cell), in reading order. */
function scanCells(file: string): (QRCode & { mm: number })[] {
  const page = PNG.sync.read(readFileSync(file));
  const mm = page.width / SHEET.width; // pixels a millimetre
  const w = Math.floor(((SHEET.width - 2 * SHEET.margin) / SHEET.columns) * mm);
  const h = Math.floor(((SHEET.height - 2 * SHEET.margin - SHEET.head) / SHEET.rows) * mm);
  const found: (QRCode & { mm: number })[] = [];
  for (let cell = 0; cell < CELLS_PER_PAGE; cell++) {
    const x0 = Math.round(SHEET.margin * mm) + (cell % SHEET.columns) * w;
    const y0 = Math.round((SHEET.margin + SHEET.head) * mm) + Math.floor(cell / SHEET.columns) * h;
    const crop = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++)
      crop.set(page.data.subarray(((y0 + y) * page.width + x0) * 4, ((y0 + y) * page.width + x0 + w) * 4), y * w * 4);
    const code = jsQR(crop, w, h);
    if (!code) break;
    // The quiet zone: 4 modules of light all round the symbol (jsQR's corners are the symbol's edges).
    const { topLeftCorner: tl, bottomRightCorner: br } = code.location;
    const module = (br.x - tl.x) / (17 + 4 * code.version);
    const inside = (x: number, y: number) => x > tl.x - 1 && x < br.x + 1 && y > tl.y - 1 && y < br.y + 1;
    let dark = 0;
    for (let y = Math.ceil(tl.y - 4 * module) + 1; y < br.y + 4 * module - 1; y++) {
      for (let x = Math.ceil(tl.x - 4 * module) + 1; x < br.x + 4 * module - 1; x++) {
        if (!inside(x, y) && (crop[(y * w + x) * 4] ?? 0) < 128) dark += 1;
      }
    }
    expect(dark, `dark pixels in the quiet zone of ${code.data}`).toBe(0);
    found.push({ ...code, mm });
  }
  return found;
}

function expectScansTo(file: string, links: string[]): void {
  const scanned = scanCells(file);
  expect(scanned.map((c) => c.data)).toEqual(links);
  for (const c of scanned) {
    const { topLeftCorner: tl, topRightCorner: tr, bottomLeftCorner: bl } = c.location;
    const [width, height] = [Math.hypot(tr.x - tl.x, tr.y - tl.y) / c.mm, Math.hypot(bl.x - tl.x, bl.y - tl.y) / c.mm];
    expect(width).toBeGreaterThanOrEqual(30);
    expect(Math.abs(width - height)).toBeLessThan(1);
  }
}

describe('npm run codes', () => {
  it('refuses an empty PUBLIC_URL: a poster must not point at localhost', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'codes-')), 'out');
    const run = codes(['--town', '城关镇', '--out', out], { PUBLIC_URL: '' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('PUBLIC_URL is empty');
    expect(existsSync(out)).toBe(false);
  });

  it('names the towns there are when asked for one that is not', () => {
    const run = codes(['--town', '南山镇', '--out', mkdtempSync(join(tmpdir(), 'codes-'))]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no town "南山镇" in 示例县');
    expect(run.stderr).toContain('I01 城关镇');
  });

  it('prints a town as an A4 PDF with its fonts embedded, every code scanning to its link', () => {
    const out = mkdtempSync(join(tmpdir(), 'codes-'));
    const run = codes(['--town', '城关镇', '--format', 'pdf', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`城关镇: 12 posters → ${join(out, '429999-I01-城关镇.pdf')}\n`);
    const pdf = join(out, '429999-I01-城关镇.pdf');
    const links = linksOf('城关镇');
    expect(links).toHaveLength(12);
    const info = tool('pdfinfo', [pdf]);
    expect(info).toMatch(/^Pages:\s+2$/m);
    expect(info).toMatch(/\(A4\)/);
    const fonts = tool('pdffonts', [pdf]).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/\syes\s+(yes|no)\s+yes\s/); // embedded, with a Unicode map
    const text = tool('pdftotext', [pdf, '-']);
    for (const p of findSheet(sheets, 'I01')?.posters ?? []) expect(text).toContain(p.node.name);
    expect(text).toContain(CALL_TO_ACTION);
    tool('pdftoppm', ['-r', '150', '-png', pdf, join(out, 'page')]);
    expectScansTo(join(out, 'page-1.png'), links.slice(0, CELLS_PER_PAGE));
    expectScansTo(join(out, 'page-2.png'), links.slice(CELLS_PER_PAGE));
    mkdirSync(ARTIFACTS, { recursive: true });
    copyFileSync(join(out, 'page-1.png'), join(ARTIFACTS, 'codes-pdf-page-1.png'));
  });

  it('prints a small town as PNG pages, its 所 and 站 scanning to their links', () => {
    const out = mkdtempSync(join(tmpdir(), 'codes-'));
    const run = codes(['--town', 'I03', '--format', 'png', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(['429999-I03-西河乡-1.png']);
    const png = join(out, '429999-I03-西河乡-1.png');
    expect(PNG.sync.read(readFileSync(png))).toMatchObject({ width: 1588, height: 2246 });
    expectScansTo(png, linksOf('西河乡'));
    copyFileSync(png, join(ARTIFACTS, 'codes-png-page-1.png'));
  });

  it('fits the longest name, address and id a county may give (60, 120 and 32 characters) without overflowing', () => {
    const county = mkdtempSync(join(tmpdir(), 'codes-county-'));
    cpSync(EXAMPLE, county, { recursive: true });
    const id = 'S05_'.padEnd(32, 'x');
    const name = '柳湾村第一居民小组新时代文明实践站'.repeat(4).slice(0, 60);
    const address = '示例县西河乡柳湾村河西路三号院东侧'.repeat(8).slice(0, 120);
    const nodes = readFileSync(join(county, 'nodes.csv'), 'utf8').replace(
      'S05,站,I03,柳湾村新时代文明实践站,113.02,30.11,示例县西河乡柳湾村',
      `${id},站,I03,${name},113.02,30.11,${address}`,
    );
    expect(nodes).toContain(id);
    writeFileSync(join(county, 'nodes.csv'), nodes);
    const out = mkdtempSync(join(tmpdir(), 'codes-'));
    const run = codes(['--town', 'I03', '--format', 'png', '--out', out], { NETWORK: county });
    expect(run.status, run.stderr).toBe(0);
    const png = join(out, '429999-I03-西河乡-1.png');
    expectScansTo(png, [`${PUBLIC_URL}/c/429999-I03`, `${PUBLIC_URL}/c/429999-${id}`, `${PUBLIC_URL}/c/429999-S06`]);
    copyFileSync(png, join(ARTIFACTS, 'codes-longest.png'));
  });
});
