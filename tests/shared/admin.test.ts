import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { accountProblem, UserCreateBodySchema } from '../../shared/admin.js';

const TOWNS = new Set(['I01', 'I03']);

describe('accountProblem', () => {
  it('asks a dispatcher for a scope: a town of the network or the district', () => {
    expect(accountProblem({ role: 'dispatcher' }, TOWNS)).toMatch(/needs a scope/);
    expect(accountProblem({ role: 'dispatcher', scope: 'I03' }, TOWNS)).toBeNull();
    expect(accountProblem({ role: 'dispatcher', scope: 'district' }, TOWNS)).toBeNull();
    expect(accountProblem({ role: 'dispatcher', scope: 'I09' }, TOWNS)).toMatch(/I09 is not a town/);
  });

  it('lets leaders and admins default to the district', () => {
    expect(accountProblem({ role: 'leader' }, TOWNS)).toBeNull();
    expect(accountProblem({ role: 'admin', scope: 'I09' }, TOWNS)).toMatch(/not a town/);
  });
});

describe('UserCreateBodySchema', () => {
  const check = Compile(UserCreateBodySchema);
  const body = { username: 'wang.fang', role: 'dispatcher', scope: 'I03', password: 'x'.repeat(12) };

  it('takes a person role, a username of safe characters and a password of 12 or more', () => {
    expect(check.Check(body)).toBe(true);
    expect(check.Check({ ...body, password: 'x'.repeat(11) })).toBe(false);
    expect(check.Check({ ...body, role: 'wall' })).toBe(false);
    expect(check.Check({ ...body, username: '王芳' })).toBe(false);
    expect(check.Check({ ...body, passwordHash: '$argon2id$' })).toBe(false);
  });
});
