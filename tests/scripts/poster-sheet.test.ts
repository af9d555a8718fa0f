import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import type { Network } from '../../shared/network.js';
import { nodeLink } from '../../shared/node-link.js';
import { generateNetwork } from '../../seed/network.js';
import {
  CALL_TO_ACTION,
  CELLS_PER_PAGE,
  SHEET,
  cellSizes,
  findSheet,
  sheetHtml,
  sheetsOf,
  type Sheet,
} from '../../scripts/poster-sheet.js';

const EXAMPLE = fileURLToPath(new URL('../fixtures/county-example', import.meta.url));
const URL_ = 'https://wmsj.example.test';
const network = generateNetwork(EXAMPLE);

const cellsOf = (html: string): string[] => html.split('<article class="cell"').slice(1);
const nodeIds = (html: string): string[] => [...html.matchAll(/data-node="([^"]+)"/g)].map((m) => m[1] ?? '');
const pagesOf = (html: string): string[] => html.split('<section class="page">').slice(1);

describe('poster sheets (npm run codes)', () => {
  it('puts every node of the county on exactly one sheet: the 中心 on its own, each 所 with its 站 and 点', () => {
    const sheets = sheetsOf(network, URL_);
    const placed = sheets.flatMap((s) => s.posters.map((p) => p.node.id));
    expect(placed.toSorted()).toEqual(network.nodes.map((n) => n.id).toSorted());
    expect(sheets.map((s) => s.id)).toEqual(['C0', 'I01', 'I02', 'I03']);
    for (const sheet of sheets.slice(1)) {
      expect(new Set(sheet.posters.map((p) => p.node.instituteId))).toEqual(new Set([sheet.id]));
      // The 所 first, then each 站 followed by its own 点.
      expect(sheet.posters[0]?.node.level).toBe('institute');
      sheet.posters.forEach((p, i) => {
        if (p.node.level === 'point')
          expect(sheet.posters.slice(0, i).findLast((q) => q.node.level === 'station')?.node.id).toBe(p.node.parentId);
      });
    }
  });

  it('finds a town by its 所 id, its town name or the 所 name', () => {
    const sheets = sheetsOf(network, URL_);
    for (const name of ['I02', '东山镇', '东山镇新时代文明实践所', ' 东山镇 '])
      expect(findSheet(sheets, name)?.id).toBe('I02');
    expect(findSheet(sheets, '示例县')?.id).toBe('C0');
    expect(findSheet(sheets, '东山')).toBeUndefined();
  });

  it('draws each node once, with its QR code encoding its link, and the link, level, town, address and call to action', async () => {
    const sheet = findSheet(sheetsOf(network, URL_), '城关镇') as Sheet;
    const html = await sheetHtml(sheet, network.county.name);
    const town = network.nodes.filter((n) => n.instituteId === 'I01');
    expect(nodeIds(html).toSorted()).toEqual(town.map((n) => n.id).toSorted());
    for (const [i, cell] of cellsOf(html).entries()) {
      const node = sheet.posters[i]?.node;
      if (!node) throw new Error(`cell ${i} has no poster`);
      const link = nodeLink(URL_, node.code);
      expect(link).toBe(`${URL_}/c/429999-${node.id}`);
      const qr = await QRCode.toString(link ?? '', { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
      expect(cell).toContain(qr);
      expect(cell).toContain(`<p class="link">${link}</p>`);
      expect(cell).toContain(`>${{ institute: '所', station: '站', point: '点', center: '中心' }[node.level]}</span>`);
      expect(cell).toContain(`>${node.name}</span>`);
      expect(cell).toContain(`城关镇 · ${node.address}`);
      expect(cell).toContain(CALL_TO_ACTION);
    }
  });

  it(`lays ${CELLS_PER_PAGE} cells on a page, the last page holding the rest`, async () => {
    const sheet = findSheet(sheetsOf(network, URL_), 'I01') as Sheet;
    const many = { ...sheet, posters: [...sheet.posters, ...sheet.posters.slice(0, 1)] }; // 13 posters
    const pages = pagesOf(await sheetHtml(many, network.county.name));
    expect(pages.map((p) => cellsOf(p).length)).toEqual([CELLS_PER_PAGE, CELLS_PER_PAGE, 1]);
    expect(pages.map((p) => /(\d+) \/ (\d+)<\/span>/.exec(p)?.slice(1).join('/'))).toEqual(['1/3', '2/3', '3/3']);
  });

  it("escapes every text from the county's files", async () => {
    const evil = '<script>alert("x")</script>&\'';
    const nodes = network.nodes.map((n) =>
      n.id === 'S05' ? { ...n, name: evil, address: `<img src=x onerror=alert(1)>` } : n,
    );
    const tampered: Network = { ...network, county: { ...network.county, name: '示例<b>县</b>' }, nodes };
    const sheet = findSheet(sheetsOf(tampered, URL_), 'I03') as Sheet;
    const html = await sheetHtml(sheet, tampered.county.name);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(html).toContain('示例&lt;b&gt;县&lt;/b&gt;');
  });

  it('refuses a node whose 文明实践码 makes no link rather than printing a dead code', () => {
    const nodes = network.nodes.map((n) => (n.id === 'S01' ? { ...n, code: 'WMSJ:4299:S01' } : n));
    expect(() => sheetsOf({ ...network, nodes }, URL_)).toThrow(/S01 .*WMSJ:4299:S01/);
  });

  it('keeps the full-size code for ordinary text and gives up some of it, never below 4 cm, for the longest', () => {
    const link = `${URL_}/c/429999-S05`;
    expect(cellSizes('柳湾村新时代文明实践站', link, '西河乡 · 示例县西河乡柳湾村').qr).toBe(SHEET.qr);
    const longest = cellSizes('柳'.repeat(60), `${URL_}/c/429999-${'x'.repeat(32)}`, `西河乡 · ${'柳'.repeat(120)}`);
    expect(longest.qr).toBeLessThan(SHEET.qr);
    expect(longest.qr).toBeGreaterThanOrEqual(40);
    expect(longest.name).toBeLessThan(cellSizes('柳湾村', link, '').name);
  });
});
