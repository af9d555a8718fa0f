/**
 * Scans made without a connection, kept on the phone (localStorage: a few small bodies, readable
 * synchronously when the page opens) and sent when it is back. Each keeps the event id and the time
 * it was made on the phone, so sending it twice — an answer lost on the way back — is one check-in:
 * the server answers a repeated id as the first time, and ingest stores an event id once.
 */
import { ref } from 'vue';
import type { ScanBody, ScanResult } from '../../../shared/activity-api';
import type { CallResult } from '../../http';

const KEY = 'wmsj.field.scans';
/** A phone keeps at most this many (a day in a dead zone is a handful). */
const MAX_KEPT = 50;

function read(): ScanBody[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as ScanBody[]) : [];
  } catch {
    return [];
  }
}
function write(scans: readonly ScanBody[]): void {
  localStorage.setItem(KEY, JSON.stringify(scans.slice(-MAX_KEPT)));
  waiting.value = scans.length;
}

/** How many scans wait to be sent (the pages show it). */
export const waiting = ref(read().length);

export function keep(scan: ScanBody): void {
  const scans = read().filter((s) => s.id !== scan.id);
  write([...scans, scan]);
}

/**
 * An answer that ends a kept scan: the server took it, or refused it for good. No answer, a busy or
 * unavailable server (429, 5xx) and a session run out (401: the volunteer logs in again) keep it.
 */
const settled = (answer: CallResult<ScanResult>): boolean => {
  if (answer.ok) return true;
  const { status } = answer.error;
  return status >= 400 && status < 500 && status !== 401 && status !== 429;
};

export interface Sent {
  /** The kept scan's id. */
  id: string;
  result: ScanResult;
}

let sending: Promise<Sent[]> | null = null;

/** Sends what is kept, oldest first; answers what the server took. One run at a time. */
export function sendKept(send: (scan: ScanBody) => Promise<CallResult<ScanResult>>): Promise<Sent[]> {
  sending ??= (async () => {
    const taken: Sent[] = [];
    for (const scan of read()) {
      const answer = await send(scan);
      if (!settled(answer)) break;
      if (answer.ok) taken.push({ id: scan.id, result: answer.data });
      write(read().filter((s) => s.id !== scan.id));
    }
    return taken;
  })().finally(() => (sending = null));
  return sending;
}
