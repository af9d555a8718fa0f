import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../server/ingest/validate.js';
import { appealReceived, checkin } from '../helpers/events.js';

const known = (id: string) => id === 'S001';
const NOW = Date.now();

describe('validateEvent', () => {
  it('accepts a valid event of a known node', () => {
    expect(validateEvent(checkin(), known, NOW).ok).toBe(true);
    expect(validateEvent(appealReceived(), known, NOW).ok).toBe(true);
  });
  it.each([
    ['a non-object', 42, 'EVENT_INVALID', 'JSON object'],
    ['an unknown type', { ...checkin(), type: 'party' }, 'EVENT_INVALID', 'unknown event type'],
    ['a bad id', { ...checkin(), id: 'not-a-uuid' }, 'EVENT_INVALID', 'id'],
    ['a wrong field type', { ...checkin(), ts: '2026-11-23' }, 'EVENT_INVALID', 'ts'],
    ['an extra field', { ...checkin(), extra: 1 }, 'EVENT_INVALID', 'extra'],
    ['an unknown node', checkin({ nodeId: 'S999' }), 'EVENT_UNKNOWN_NODE', 'S999'],
    ['a time far in the future', checkin({ ts: NOW + 3_600_000 }), 'EVENT_FROM_FUTURE', 'future'],
  ])('rejects %s with a clear reason', (_label, item, code, fragment) => {
    const verdict = validateEvent(item, known, NOW);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.code).toBe(code);
      expect(verdict.reason).toContain(fragment);
    }
  });
});

describe('validateEvent on text ClickHouse cannot store', () => {
  it('refuses a lone surrogate and accepts a proper pair (an emoji)', () => {
    const lone = validateEvent(appealReceived({ title: 'x\ud800y' }), known, NOW);
    expect(lone).toMatchObject({ ok: false, code: 'EVENT_INVALID' });
    if (!lone.ok) expect(lone.reason).toContain('title');
    expect(validateEvent(appealReceived({ title: '路灯 💡' }), known, NOW).ok).toBe(true);
  });
});
