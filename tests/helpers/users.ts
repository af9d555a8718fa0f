/** The town dispatcher the auth unit tests log in as: d3 of I03, with its password hashed once. */
import { hashPassword } from '../../server/auth/passwords.js';
import type { User } from '../../server/auth/users.js';

export const DISPATCHER_PASSWORD = 'dispatcher password';

export async function townDispatcher(): Promise<User> {
  return {
    username: 'd3',
    name: '调度三',
    role: 'dispatcher',
    scope: 'I03',
    passwordHash: await hashPassword(DISPATCHER_PASSWORD),
    disabled: false,
    createdAt: null,
  };
}
