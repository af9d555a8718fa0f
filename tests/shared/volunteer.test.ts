import { describe, expect, it } from 'vitest';
import { AccountAction, AccountStatus, nextStatus, type AccountAction as Action } from '../../shared/volunteer.js';

const ALL_ACTIONS = Object.values(AccountAction);
const ALL_STATUSES = Object.values(AccountStatus);

describe('a volunteer account’s status', () => {
  it('moves pending → approved | rejected and approved ⇄ disabled, nothing else', () => {
    const allowed = new Map<string, string>([
      ['pending approve', 'approved'],
      ['pending reject', 'rejected'],
      ['approved disable', 'disabled'],
      ['disabled enable', 'approved'],
    ]);
    for (const status of ALL_STATUSES) {
      for (const action of ALL_ACTIONS) {
        const next = nextStatus(status, action, 'a reason');
        const want = allowed.get(`${status} ${action}`);
        expect(next, `${status} ${action}`).toEqual(
          want ? { ok: true, status: want } : { ok: false, code: 'VOLUNTEER_BAD_STATE' },
        );
      }
    }
  });

  it('refuses a rejection without a reason, blank or not', () => {
    for (const reason of ['', '   ', '\n'])
      expect(nextStatus('pending', 'reject' satisfies Action, reason)).toEqual({
        ok: false,
        code: 'VOLUNTEER_REASON_REQUIRED',
      });
  });
});
