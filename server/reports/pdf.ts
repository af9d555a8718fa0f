/**
 * Printing a report: Chromium (the Debian package, driven by playwright-core as scripts/codes.ts
 * prints the posters) lays out the HTML on A4 with the CJK fonts installed (fonts-noto-cjk) and
 * embeds the subsets it used. One browser per report, closed after it: reports are rare (a few a
 * month), and no Chromium stays behind in the server.
 *
 * Chromium writes the moment it printed into the PDF's /CreationDate and /ModDate, and derives the
 * document /ID from it: the only bytes that differ between two prints of the same HTML. They are
 * set here to the report's own timestamp (its generation time), same length, in place (the xref
 * offsets stay right), and the /ID to a digest of the rest — so a report re-generated from the same
 * figures and weights is the archived one byte for byte but for its timestamp, and stamping both
 * with the same moment makes them equal (the test does).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const FOOTER = `<div style="width:100%;font-size:7pt;color:#7b8ba0;padding:0 12mm;font-family:'Noto Sans CJK SC',sans-serif;display:flex;justify-content:space-between"><span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;

export class RenderError extends Error {}

export async function printPdf(html: string, chromiumPath: string): Promise<Buffer> {
  if (!existsSync(chromiumPath))
    throw new RenderError(`${chromiumPath} is missing (install the Debian package chromium)`);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    // Root (a container, CI) cannot use Chromium's sandbox; the page is our own HTML and loads nothing.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    // Nothing leaves the page: the HTML holds its charts and styles, and fonts are the system's.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate('document.fonts.ready');
    return await page.pdf({
      format: 'A4',
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: FOOTER,
    });
  } finally {
    await browser.close();
  }
}

/** `D:20261207123456+08'00'`, the PDF date of `ms` in the county's zone. */
export function pdfDate(ms: number): string {
  const t = new Date(ms + 8 * 3_600_000).toISOString();
  return `D:${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}${t.slice(11, 13)}${t.slice(14, 16)}${t.slice(17, 19)}+08'00'`;
}

const DATE = /\/(CreationDate|ModDate) ?\((D:[^)]*)\)/g;
const ID = /\/ID ?\[ ?<([0-9A-Fa-f]+)> ?<([0-9A-Fa-f]+)> ?\]/;

/**
 * The PDF with its dates set to `ms` and its /ID to a digest of its bytes without dates and ID.
 * Each replacement has the original's length (dates padded inside the string, which PDF readers
 * ignore past the offset; IDs cut or padded to their hex length), so no byte moves.
 */
export function stampPdf(pdf: Buffer, ms: number): Buffer {
  const text = pdf.toString('latin1');
  const date = pdfDate(ms);
  const dated = text.replace(DATE, (whole, key: string, old: string) => {
    const value = date.length <= old.length ? date.padEnd(old.length, ' ') : date.slice(0, old.length);
    return whole.replace(`(${old})`, `(${value})`);
  });
  const blank = dated.replace(DATE, (w, key: string) => `/${key}()`).replace(ID, '/ID[]');
  const digest = createHash('sha256').update(blank, 'latin1').digest('hex').toUpperCase();
  const stamped = dated.replace(ID, (whole, a: string, b: string) =>
    whole
      .replace(a, digest.slice(0, a.length).padEnd(a.length, '0'))
      .replace(b, digest.slice(0, b.length).padEnd(b.length, '0')),
  );
  return Buffer.from(stamped, 'latin1');
}
