/**
 * The report as an A4 HTML document for Chromium to print: a title block, the summary with the
 * weights and the criteria against the period before, the 所 and 站 rankings (each criterion's
 * figure and its change), the top brands, practice reports' reach, appeals' closure against the
 * target, with the charts inline as SVG (charts.ts). Pure: the figures in, a string out; nothing in
 * it depends on when it is printed, so the same figures print the same pages.
 */
import { CRITERIA, type Criterion } from '../../shared/evaluation.js';
import { escapeHtml as esc } from '../../shared/escape-html.js';
import type { Change, RankingRow, ReportData } from '../../shared/report.js';
import { appealsChart, brandsChart, criteriaChart, scoreChart } from './charts.js';
import { REPORT_WORDS as W } from './words.js';

const int = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });
const num = (x: number): string => int.format(x);
const pct = (r: number | null): string => (r === null ? W.notes.noPrevious : `${(r * 100).toFixed(1)}%`);

/** `▲12.5%` / `▼3.0%` / `—` (nothing before), coloured by the class. */
function delta(c: Change): string {
  if (c.ratio === null) return `<span class="flat">${c.value > 0 ? '新增' : W.notes.noPrevious}</span>`;
  const r = c.ratio * 100;
  if (Math.abs(r) < 0.05) return '<span class="flat">持平</span>';
  return r > 0 ? `<span class="up">▲${r.toFixed(1)}%</span>` : `<span class="down">▼${(-r).toFixed(1)}%</span>`;
}

function movement(row: RankingRow): string {
  if (row.previousRank === null) return `<span class="flat">${W.notes.noPrevious}</span>`;
  const moved = row.previousRank - row.rank;
  if (moved === 0) return `<span class="flat">${row.previousRank}</span>`;
  return `${row.previousRank}${moved > 0 ? `<span class="up">↑${moved}</span>` : `<span class="down">↓${-moved}</span>`}`;
}

function periodTitle(d: ReportData): string {
  const [year = '', month = ''] = d.start.split('-');
  if (d.period === 'month') return `${year}年${Number(month)}月`;
  if (d.period === 'half') return `${year}年${month === '01' ? '上' : '下'}半年`;
  return `${year}年度`;
}

function rankingTable(rows: readonly RankingRow[]): string {
  const head = CRITERIA.map((c) => `<th>${W.criteriaShort[c]}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr><td class="n">${r.rank}</td><td class="n">${movement(r)}</td><td class="name">${esc(r.name)}</td><td class="n score">${r.score.toFixed(2)}</td>${CRITERIA.map(
          (c) => `<td class="n">${num(r.figures[c].value)}<br>${delta(r.figures[c])}</td>`,
        ).join('')}</tr>`,
    )
    .join('');
  return `<table class="ranking"><thead><tr><th>${W.columns.rank}</th><th>${W.columns.previousRank}</th><th>${W.columns.name}</th><th>${W.columns.score}</th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export type SectionKey = keyof typeof W.sections;

/**
 * Each section's heading, numbered in the order printed: a town's report has no 所 ranking, so its
 * 站 ranking is 二, not 三 (fixed numbers would skip one).
 */
export function sectionHeadings(town: boolean): Record<SectionKey, string> {
  const order = (Object.keys(W.sections) as SectionKey[]).filter((k) => !(town && k === 'institutes'));
  const heading = (k: SectionKey) => {
    const i = order.indexOf(k);
    return i < 0 ? '' : `${W.numerals[i] ?? String(i + 1)}、${W.sections[k]}`;
  };
  return Object.fromEntries((Object.keys(W.sections) as SectionKey[]).map((k) => [k, heading(k)])) as Record<
    SectionKey,
    string
  >;
}

function summary(d: ReportData, h: string): string {
  const weights = CRITERIA.map((c: Criterion) => `${W.criteriaShort[c]} ${d.weights[c]}`).join('，');
  const version = d.weightsVersion === 0 ? `0（${W.version0}）` : String(d.weightsVersion);
  const rows = CRITERIA.map((c) => {
    const t = d.totals[c];
    return `<tr><td>${W.criteria[c]}</td><td class="n">${num(t.value)}</td><td class="n">${num(t.previous)}</td><td class="n">${delta(t)}</td></tr>`;
  }).join('');
  return `<h2>${h}</h2>
<dl class="facts">
<dt>${W.scope}</dt><dd>${esc(d.scopeName)}</dd>
<dt>${W.period}</dt><dd>${d.start} 至 ${d.end}</dd>
<dt>${W.previous}</dt><dd>${d.previousStart} 起（上一${d.period === 'month' ? '月' : d.period === 'half' ? '半年' : '年'}）</dd>
<dt>${W.weightsVersion}</dt><dd>v${version}</dd>
<dt>${W.weights}</dt><dd>${weights}</dd>
</dl>
<p class="note">${W.notes.scoring}</p>
<table class="plain"><thead><tr><th>${W.columns.criterion}</th><th>${W.columns.value}</th><th>${W.columns.before}</th><th>${W.columns.change}</th></tr></thead><tbody>${rows}</tbody></table>
<figure>${criteriaChart(d)}</figure>`;
}

function brands(d: ReportData, h: string): string {
  const c = W.columns;
  const rows = d.brands
    .map(
      (b, i) =>
        `<tr><td class="n">${i + 1}</td><td class="name">${esc(b.name)}</td><td class="n">${num(b.articles)}</td><td class="n">${num(b.activities)}</td><td class="n">${num(b.participants)}</td><td class="n">${num(b.reads)}</td><td class="n">${num(b.shares)}</td></tr>`,
    )
    .join('');
  return `<h2>${h}</h2>
<table class="plain"><thead><tr><th>${c.rank}</th><th>${c.brand}</th><th>${c.articles}</th><th>${c.activities}</th><th>${c.participants}</th><th>${c.reads}</th><th>${c.shares}</th></tr></thead><tbody>${rows}</tbody></table>
<figure>${brandsChart(d)}</figure>`;
}

function media(d: ReportData, h: string): string {
  const { current: now, previous: was } = d.media;
  const line = (label: string, a: number, b: number) =>
    `<tr><td>${label}</td><td class="n">${num(a)}</td><td class="n">${num(b)}</td><td class="n">${delta({ value: a, previous: b, delta: a - b, ratio: b > 0 ? (a - b) / b : null })}</td></tr>`;
  const top = now.top
    .map(
      (a, i) =>
        `<tr><td class="n">${i + 1}</td><td class="name">${esc(a.title)}</td><td class="n">${num(a.reads)}</td><td class="n">${num(a.shares)}</td></tr>`,
    )
    .join('');
  const c = W.columns;
  return `<h2>${h}</h2>
<table class="plain"><thead><tr><th></th><th>${c.value}</th><th>${c.before}</th><th>${c.change}</th></tr></thead><tbody>
${line(W.media.practiceReads, now.practiceReads, was.practiceReads)}
${line(W.media.practiceShares, now.practiceShares, was.practiceShares)}
${line(W.media.practiceArticles, now.practiceArticles, was.practiceArticles)}
${line(W.media.allReads, now.reads, was.reads)}
${line(W.media.allShares, now.shares, was.shares)}
</tbody></table>
<table class="plain"><thead><tr><th>${c.rank}</th><th>${c.title}</th><th>${c.reads}</th><th>${c.shares}</th></tr></thead><tbody>${top}</tbody></table>`;
}

function appeals(d: ReportData, h: string): string {
  const { current: now, previous: was } = d.appeals;
  const c = W.columns;
  const met = now.rate !== null && now.rate >= now.target;
  const rows = now.byCategory
    .map(
      (k) =>
        `<tr><td>${W.categories[k.category] ?? esc(k.category)}</td><td class="n">${num(k.received)}</td><td class="n">${num(k.closed)}</td><td class="n">${pct(k.rate)}</td></tr>`,
    )
    .join('');
  return `<h2>${h}</h2>
<p>${W.thisPeriod}受理 ${num(now.received)} 件，期末前办结 ${num(now.closed)} 件，办结率 <b class="${met ? 'up' : 'down'}">${pct(now.rate)}</b>（${W.target} ${pct(now.target)}，${met ? '达标' : '未达标'}）；${W.previousPeriod}办结率 ${pct(was.rate)}。</p>
<table class="plain"><thead><tr><th>${c.category}</th><th>${c.received}</th><th>${c.closed}</th><th>${c.rate}</th></tr></thead><tbody>${rows}
<tr class="sum"><td>${W.total}</td><td class="n">${num(now.received)}</td><td class="n">${num(now.closed)}</td><td class="n">${pct(now.rate)}</td></tr></tbody></table>
<figure>${appealsChart(d)}</figure>`;
}

const STYLE = `@page{size:A4;margin:14mm 12mm 16mm}
*{box-sizing:border-box}
body{font-family:'Noto Sans CJK SC','Source Han Sans SC',sans-serif;color:#1d2b3a;font-size:10pt;margin:0}
h1{font-size:20pt;margin:0 0 2mm;letter-spacing:1px}
.sub{color:#51637a;margin:0 0 6mm;font-size:11pt}
h2{font-size:13pt;margin:7mm 0 3mm;padding-bottom:1mm;border-bottom:1.5px solid #1f6fd1;break-after:avoid}
section{break-inside:auto}
.facts{display:grid;grid-template-columns:24mm 1fr;gap:1mm 3mm;margin:0 0 3mm}
.facts dt{color:#51637a}.facts dd{margin:0}
.note{color:#51637a;font-size:8.5pt;margin:1mm 0 3mm}
table{border-collapse:collapse;width:100%;margin:0 0 4mm}
th,td{border:0.5px solid #c5d1e0;padding:1mm 1.5mm;vertical-align:middle}
th{background:#eef3f9;font-weight:600;font-size:9pt}
thead{display:table-header-group}
tr{break-inside:avoid}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.name{white-space:nowrap}
.ranking{font-size:8pt}.ranking td{padding:0.6mm 1.2mm;line-height:1.25}
.ranking td.score{font-weight:600}
.up{color:#1a7f37}.down{color:#c0392b}.flat{color:#7b8ba0}
.sum td{font-weight:600}
figure{margin:2mm 0 4mm;break-inside:avoid}
figure svg{display:block;width:100%;height:auto}
.page-break{break-before:page}`;

/** The whole document; its <title> becomes the PDF's title. */
export function reportHtml(d: ReportData): string {
  const title = `${esc(d.county)}新时代文明实践${periodTitle(d)}${W.reportOf[d.period]}`;
  const town = d.institutes.length === 0;
  const h = sectionHeadings(town);
  const institutes = town
    ? ''
    : `<h2>${h.institutes}</h2><figure>${scoreChart(d.institutes, W.charts.institutes)}</figure>${rankingTable(d.institutes)}`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head><body>
<h1>${title}</h1>
<p class="sub">${W.kinds[d.period]} · ${esc(d.scopeName)} · ${d.start} 至 ${d.end} · ${W.weightsVersion} v${d.weightsVersion}</p>
<section>${summary(d, h.summary)}</section>
<section class="page-break">${institutes}
<h2>${h.stations}</h2>${town ? `<p class="note">${W.notes.stationsTown}</p>` : ''}
<figure>${scoreChart(d.stations, W.charts.stations)}</figure>
${rankingTable(d.stations)}</section>
<section class="page-break">${brands(d, h.brands)}</section>
<section>${media(d, h.media)}</section>
<section class="page-break">${appeals(d, h.appeals)}</section>
</body></html>`;
}
