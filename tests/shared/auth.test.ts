import { describe, expect, it } from 'vitest';
import { canActOn, DISTRICT, hasRole, READ_ROLES, Role, type Principal } from '../../shared/auth.js';

const as = (role: Role, scope: string = DISTRICT): Pick<Principal, 'role' | 'scope'> => ({ role, scope });

describe('canActOn', () => {
  it("lets a town's dispatcher act on its own town only", () => {
    const town = as(Role.dispatcher, 'I03');
    expect(canActOn(town, 'I03')).toBe(true);
    expect(canActOn(town, 'I04')).toBe(false);
  });
  it('keeps the district center itself to district scope', () => {
    expect(canActOn(as(Role.dispatcher, 'I03'), '')).toBe(false);
    expect(canActOn(as(Role.dispatcher), '')).toBe(true);
  });
  it('lets a district dispatcher and an admin act anywhere', () => {
    for (const p of [as(Role.dispatcher), as(Role.admin)]) {
      expect(canActOn(p, 'I01')).toBe(true);
      expect(canActOn(p, 'I09')).toBe(true);
    }
  });
  it('never lets a wall, a leader or a device act, whatever their scope', () => {
    for (const role of [Role.wall, Role.leader, Role.device]) {
      expect(canActOn(as(role), 'I01')).toBe(false);
      expect(canActOn(as(role, 'I01'), 'I01')).toBe(false);
    }
  });
});

describe('hasRole', () => {
  it('reads the wall for wall, leader, dispatcher and admin, not for a device', () => {
    expect(Object.values(Role).filter((role) => hasRole({ role }, READ_ROLES))).toEqual([
      'wall',
      'dispatcher',
      'leader',
      'admin',
    ]);
  });
});
