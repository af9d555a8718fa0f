/** The audit trail's filter: each condition alone, and the time range's ends. */
import { describe, expect, it } from 'vitest';
import { matchesAudit } from '../../shared/audit.js';
import type { AuditRecord } from '../../shared/auth.js';

const record: AuditRecord = {
  ts: '2026-12-06T20:30:00.000Z',
  action: 'auth.login_failed',
  actor: 'Zhao.Min',
  result: 'refused',
  ip: '127.0.0.1',
};

describe('matchesAudit', () => {
  it('passes a record with no filter and checks each condition alone', () => {
    expect(matchesAudit(record, {})).toBe(true);
    expect(matchesAudit(record, { action: 'auth.login_failed' })).toBe(true);
    expect(matchesAudit(record, { action: 'auth.login' })).toBe(false);
    expect(matchesAudit(record, { actor: 'zhao' })).toBe(true);
    expect(matchesAudit(record, { actor: 'wang' })).toBe(false);
    expect(matchesAudit(record, { result: 'refused' })).toBe(true);
    expect(matchesAudit(record, { result: 'ok' })).toBe(false);
  });

  it('keeps `from` inclusive and `to` exclusive, across time zones', () => {
    expect(matchesAudit(record, { from: '2026-12-06T20:30:00Z' })).toBe(true);
    expect(matchesAudit(record, { to: '2026-12-06T20:30:00Z' })).toBe(false);
    expect(matchesAudit(record, { from: '2026-12-07T04:29+08:00', to: '2026-12-07T04:31+08:00' })).toBe(true);
    expect(matchesAudit(record, { from: '2026-12-07T04:31+08:00' })).toBe(false);
  });
});
