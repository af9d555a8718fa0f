/**
 * Personal-data masking for public screens (PIPL). One function per kind of datum, used by the
 * server before anything reaches a wall, leadership or dispatch socket.
 */
import { folded, replaceFolded } from './mask-text.js';

/** 张伟 → 张*, 张小伟 → 张*伟, 欧阳小明 → 欧**明; Latin names keep their first letter. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/**
 * 13812345678 → 138****5678, (028) 8888-6666 → 028****6666: at most the first 3 and last 4 digits
 * show and at least 4 are hidden (a 7-digit number keeps 3); shorter than 7 digits is hidden whole.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const n = digits.length;
  if (n < 7) return '*'.repeat(n);
  const start = Math.min(3, Math.floor((n - 4) / 2));
  const end = Math.min(4, Math.ceil((n - 4) / 2));
  return `${digits.slice(0, start)}${'*'.repeat(n - start - end)}${digits.slice(n - end)}`;
}

/** 18-digit resident ID: 510122199001011234 → 5101**********1234. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length < 8) return '*'.repeat(s.length);
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

/**
 * What may stand between two digits of one number as people type it: spaces, tabs and newlines,
 * dashes of every width, dots, slashes, brackets, underscores, tildes, plus signs — up to 4 in a
 * row. (Matched on folded text: full-width forms are ASCII by then.) Commas are not among them:
 * "1,234,567 次" is a count. Each part is a set of its own, so the run is matched in linear time.
 */
const SEP = String.raw`[\s\-\u2010-\u2015\u2212\u30fc.\u00b7\u30fb\u3002/\\()[\]\u3010\u3011_~+]`;
/** A run of digits (an opening bracket before it, an X check digit after it) with separators. */
const NUMBER_RUN = new RegExp(
  String.raw`(?<![0-9])(?:[([\u3010]\s{0,2})?[0-9](?:${SEP}{0,4}[0-9])*[Xx]?(?![0-9])`,
  'g',
);
const ID_NUMBER = /^[0-9]{17}[0-9Xx]$/;
const WITH_COUNTRY = /^(0086|86)(1[0-9]{10})$/;
const NAME_GAP = String.raw`[\s\u00b7.\-_]{0,3}`;

/** A number run as the mask shows it: an ID number, a phone (+86 kept), or as it was (< 7 digits). */
function maskRun(run: string): string {
  const chars = run.replace(/[^0-9Xx]/g, '');
  const digits = chars.replace(/[Xx]$/, '');
  if (digits.length < 7) return run;
  if (ID_NUMBER.test(chars)) return maskIdNumber(chars.toUpperCase());
  const country = WITH_COUNTRY.exec(digits);
  if (country) return `${country[1] ?? ''} ${maskPhone(country[2] ?? '')}`;
  return maskPhone(digits) + chars.slice(digits.length);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Free text (an appeal's title, an order's title, a note) may hold phone and ID numbers and the
 * names the event carries: each is masked where it stands, however it is written — full-width or
 * Chinese digits, any separators, invisible characters between the parts — and the rest of the
 * text is kept as written. "请回电13812345678" → "请回电138****5678"; with names ['王建国'],
 * "王 建国反映" → "王*国反映".
 */
export function maskText(text: string, names: readonly string[] = []): string {
  let out = replaceFolded(text, NUMBER_RUN, maskRun);
  for (const name of names) {
    const pattern = namePattern(name);
    if (pattern) out = replaceFolded(out, pattern, () => maskName(name));
  }
  return out;
}

/** Compiled name patterns, by name (bounded): the same names come back with every event of theirs. */
const namePatterns = new Map<string, RegExp | null>();

/** A name's characters with up to 3 spaces or dots between them; null for a single character (too common to hunt for). */
function namePattern(name: string): RegExp | null {
  let pattern = namePatterns.get(name);
  if (pattern === undefined) {
    const chars = Array.from(folded(name)).filter((c) => c.trim() !== '');
    pattern = chars.length < 2 ? null : new RegExp(chars.map(escapeRegExp).join(NAME_GAP), 'giu');
    if (namePatterns.size >= 10_000) namePatterns.clear();
    namePatterns.set(name, pattern);
  }
  return pattern;
}
