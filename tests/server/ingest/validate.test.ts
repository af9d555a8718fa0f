import { describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../../shared/events.js';
import { EventSource, validateEvent } from '../../../server/ingest/validate.js';
import { appealReceived, checkin } from '../../helpers/events.js';

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

describe('validateEvent on orders', () => {
  const transition: PracticeEvent = {
    id: checkin().id,
    nodeId: 'S001',
    ts: NOW,
    type: 'order.transition',
    orderId: 'ORD-1',
    from: 'requested',
    to: 'completed',
    version: 2,
    actor: 'a device',
    volunteerId: null,
    reason: '',
  };
  it('refuses an order transition from a device: only the dispatch service moves orders', () => {
    const verdict = validateEvent(transition, known, NOW);
    expect(verdict).toMatchObject({ ok: false, code: 'EVENT_ORDER_VIA_DISPATCH' });
    if (!verdict.ok) expect(verdict.reason).toContain('/api/v1/orders');
  });
  it('takes it from the dispatch service, and still checks it there', () => {
    expect(validateEvent(transition, known, NOW, EventSource.dispatch).ok).toBe(true);
    expect(validateEvent({ ...transition, version: 'two' }, known, NOW, EventSource.dispatch)).toMatchObject({
      ok: false,
      code: 'EVENT_INVALID',
    });
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
