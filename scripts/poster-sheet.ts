/**
 * The printed 文明实践码 posters (issue 16.1), laid out for `npm run codes` (scripts/codes.ts): one
 * sheet per town — its 所, then each 站 followed by its 点, so a station's staff cut out their own —
 * and one for the 中心. Each cell holds the node's QR code (its link, shared/node-link.ts), name,
 * level, town, address, the link in letters and the call to action, on A4 pages for Chromium to
 * print. Pure: a network in, an HTML string out; every text from the county's files is escaped.
 */
import QRCode from 'qrcode';
import type { Network, NetworkNode, NodeLevel } from '../shared/network.js';
import { escapeHtml } from '../shared/escape-html.js';
import { nodeLink } from '../shared/node-link.js';
import { townOf } from '../seed/names.js';

/** The articles' words for the levels, as the wall shows them (client/i18n/zh-CN.ts `levels`). */
const LEVEL_WORD: Readonly<Record<NodeLevel, string>> = { center: '中心', institute: '所', station: '站', point: '点' };
export const CALL_TO_ACTION = '扫码：我要点单 · 志愿者签到';

/**
 * A4 in millimetres, 2 × 3 cells. A 50 mm code (`qr`: 37 modules for a 40-character link, so 1.35 mm
 * a module, its 4-module quiet zone inside) scans at arm's length; a fourth row of cells would leave
 * it under 3 cm.
 */
export const SHEET = { width: 210, height: 297, margin: 8, head: 6, columns: 2, rows: 3, qr: 50 } as const;
export const CELLS_PER_PAGE = SHEET.columns * SHEET.rows;

export interface Poster {
  node: NetworkNode;
  town: string;
  link: string;
}

export interface Sheet {
  /** The 所's id, or the 中心's for the county's own sheet. */
  id: string;
  /** 城关镇; the county's name for the 中心's sheet. */
  town: string;
  posters: Poster[];
}

/** The 中心's sheet, then every town's, in the network's order (by id). */
export function sheetsOf(network: Network, publicUrl: string): Sheet[] {
  const poster = (node: NetworkNode, town: string): Poster => {
    const link = nodeLink(publicUrl, node.code);
    if (!link) throw new Error(`${node.id} (${node.name}): its 文明实践码 ${node.code} makes no link`);
    return { node, town, link };
  };
  const at = (level: NodeLevel) => network.nodes.filter((n) => n.level === level);
  const centers = at('center').map((c) => ({
    id: c.id,
    town: network.county.name,
    posters: [poster(c, network.county.name)],
  }));
  const towns = at('institute').map((institute): Sheet => {
    const town = townOf(institute.name);
    const stations = at('station').filter((s) => s.parentId === institute.id);
    const posters = [institute, ...stations.flatMap((s) => [s, ...at('point').filter((p) => p.parentId === s.id)])];
    return { id: institute.id, town, posters: posters.map((n) => poster(n, town)) };
  });
  return [...centers, ...towns];
}

/** The sheet named by its 所's (or the 中心's) id, its town (城关镇) or the 所's full name. */
export function findSheet(sheets: readonly Sheet[], name: string): Sheet | undefined {
  const wanted = name.trim();
  return sheets.find((s) => s.id === wanted || s.town === wanted || s.posters[0]?.node.name === wanted);
}

/** Width in em of a line of text: CJK and full-width characters 1, the rest (Latin, digits) about 0.6. */
const ems = (text: string): number => {
  const wide = (text.match(/[\u2e80-\uffff]/g) ?? []).length;
  return wide + (text.length - wide) * 0.6;
};
/** Lines a text takes at `size` mm across `width` mm. */
const lines = (text: string, size: number, width: number): number => Math.max(1, Math.ceil((ems(text) * size) / width));

const CELL = {
  width: (SHEET.width - 2 * SHEET.margin) / SHEET.columns,
  height: (SHEET.height - 2 * SHEET.margin - SHEET.head) / SHEET.rows,
  padX: 4,
  padY: 3,
};
/**
 * The smallest code: the longest link (32-character id: version 5, 37 modules and 8 of quiet zone)
 * still has a symbol over 3 cm and 0.9 mm modules.
 */
const MIN_QR = 40;

/**
 * Type and code sizes for one poster. Names run up to 60 characters and addresses to 120
 * (shared/county.ts): a long one gets a smaller type, and when the text still needs the room the
 * code gives some up, down to MIN_QR; the printing script measures every cell and refuses to print
 * one whose text overflows all the same.
 */
export function cellSizes(name: string, link: string, where: string): { name: number; where: number; qr: number } {
  const inner = CELL.width - 2 * CELL.padX;
  const nameSize = name.length <= 20 ? 4.4 : name.length <= 32 ? 3.6 : 3;
  const whereSize = where.length <= 40 ? 3 : 2.6;
  const text =
    2 * CELL.padY +
    lines(name, nameSize, inner - 8) * nameSize * 1.25 + // beside the level's badge
    lines(link, 2.8, inner) * 2.8 * 1.3 +
    1.5 +
    4.2 * 1.3 + // the call to action and its gap
    1 +
    lines(where, whereSize, inner) * whereSize * 1.3;
  // 3 mm to spare: the estimate of the lines is only an estimate.
  const qr = Math.max(MIN_QR, Math.min(SHEET.qr, Math.floor(CELL.height - text - 3)));
  return { name: nameSize, where: whereSize, qr };
}

async function cell(p: Poster): Promise<string> {
  // M: a poster outdoors gets dirty; 4 modules of quiet zone are the standard's minimum.
  const qr = await QRCode.toString(p.link, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  const where = [p.town, p.node.address ?? ''].filter((w) => w !== '').join(' · ');
  const size = cellSizes(p.node.name, p.link, where);
  return `<article class="cell" data-node="${escapeHtml(p.node.id)}">
<h2><span class="level">${LEVEL_WORD[p.node.level]}</span><span class="name" style="font-size:${size.name}mm">${escapeHtml(p.node.name)}</span></h2>
<div class="qr" style="width:${size.qr}mm;height:${size.qr}mm" data-link="${escapeHtml(p.link)}">${qr}</div>
<p class="link">${escapeHtml(p.link)}</p>
<p class="cta">${CALL_TO_ACTION}</p>
<p class="where" style="font-size:${size.where}mm">${escapeHtml(where)}</p>
</article>`;
}

export function pagesOf<T>(items: readonly T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / CELLS_PER_PAGE) }, (_, i) =>
    items.slice(i * CELLS_PER_PAGE, (i + 1) * CELLS_PER_PAGE),
  );
}

const { width, height, margin, head, columns, rows } = SHEET;
/**
 * Dashed cell borders are the cut lines, drawn once between neighbours (right and bottom, plus the
 * first column's left and the first row's top); the page is exactly A4, so each `.page` is one sheet.
 */
const STYLE = `@page{size:A4;margin:0}
*{box-sizing:border-box;margin:0}
body{font-family:'Noto Sans CJK SC','Source Han Sans SC',sans-serif;color:#111}
.page{width:${width}mm;height:${height}mm;padding:${margin}mm;overflow:hidden;break-after:page}
.page:last-child{break-after:auto}
.head{height:${head}mm;font-size:3mm;color:#555;display:flex;justify-content:space-between}
.grid{display:grid;grid-template-columns:repeat(${columns},1fr);grid-template-rows:repeat(${rows},1fr);height:${height - 2 * margin - head}mm}
.cell{border:0 dashed #999;border-width:0 0.2mm 0.2mm 0;padding:${CELL.padY}mm ${CELL.padX}mm;display:flex;flex-direction:column;align-items:center;overflow:hidden}
.cell:nth-child(${columns}n+1){border-left-width:0.2mm}
.cell:nth-child(-n+${columns}){border-top-width:0.2mm}
h2{display:flex;align-items:flex-start;gap:2mm;width:100%;font-weight:700;line-height:1.25}
.level{flex:none;font-size:3.6mm;color:#fff;background:#b71c1c;border-radius:1mm;padding:0.3mm 1.6mm}
.name{flex:1;min-width:0}
.qr{margin-top:auto;flex:none}
.qr svg{display:block;width:100%;height:100%}
.link{font-family:'Noto Sans Mono CJK SC',monospace;font-size:2.8mm;line-height:1.3;word-break:break-all;text-align:center}
.cta{font-size:4.2mm;line-height:1.3;font-weight:700;color:#b71c1c;margin-top:1.5mm}
.where{color:#444;text-align:center;margin-top:1mm;margin-bottom:auto;line-height:1.3}`;

/** The sheet as one HTML document: a `.page` per A4 page, `CELLS_PER_PAGE` cells each. */
export async function sheetHtml(sheet: Sheet, countyName: string): Promise<string> {
  const pages = pagesOf(await Promise.all(sheet.posters.map(cell)));
  const title = escapeHtml(sheet.town === countyName ? countyName : `${countyName} · ${sheet.town}`);
  const body = pages
    .map(
      (cells, i) => `<section class="page">
<header class="head"><span>${title} · 文明实践码</span><span>${i + 1} / ${pages.length}</span></header>
<div class="grid">${cells.join('\n')}</div>
</section>`,
    )
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}
