/**
 * Personal-data masking for public screens (PIPL). One function per kind of datum, used by the
 * server before anything reaches a wall or leadership socket.
 */

/** 张伟 → 张*, 张小伟 → 张*伟, 欧阳小明 → 欧**明; Latin names keep their first letter. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 13812345678 → 138****5678; anything shorter than 7 digits is hidden whole. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** 18-digit resident ID: 510122199001011234 → 5101**********1234. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length < 8) return '*'.repeat(s.length);
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

/** An 18-character resident ID inside text (17 digits and a check digit or X). */
const ID_IN_TEXT = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g;
/** Seven or more digits, single spaces or dashes between them allowed: a phone number as people type it. */
const PHONE_IN_TEXT = /(?<![0-9])[0-9](?:[ -]?[0-9]){6,}(?![0-9])/g;

/**
 * Free text written by a citizen (an appeal's title) may hold a phone or ID number: each is masked
 * where it stands, the rest of the text is kept. "请回电13812345678" → "请回电138****5678".
 */
export function maskText(text: string): string {
  return text.replace(ID_IN_TEXT, (id) => maskIdNumber(id)).replace(PHONE_IN_TEXT, (phone) => maskPhone(phone));
}
