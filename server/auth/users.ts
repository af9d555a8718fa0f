/**
 * People's accounts: a JSON file (USERS_FILE, or DATA_DIR/users.json seeded on first start),
 * checked at boot with every bad entry named. Only password hashes are ever stored. The admin API
 * changes accounts through UserStore (user-store.ts), which writes the same file back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { accountProblem, UsernameSchema } from '../../shared/admin.js';
import { DISTRICT, PERSON_ROLES, Role, ScopeSchema } from '../../shared/auth.js';
import { writePrivate } from './files.js';
import { generatePassword, hashPassword } from './passwords.js';

export const UserEntrySchema = Type.Object(
  {
    username: UsernameSchema,
    /** Shown in the UI and the audit log; defaults to the username. */
    name: Type.Optional(Type.String({ maxLength: 64 })),
    role: Type.Enum(PERSON_ROLES),
    /** Required for a dispatcher (a town's 所 id or `district`); others default to `district`. */
    scope: Type.Optional(ScopeSchema),
    /** An Argon2 hash (`npm run user:hash` prints one); never a plain password. */
    passwordHash: Type.String({ pattern: '^\\$argon2(id|i|d)\\$' }),
    /** Set by an admin (`POST /api/v1/admin/users/:username/disable`): no login, no session. */
    disabled: Type.Optional(Type.Boolean()),
    /** Epoch ms, kept for accounts made by the admin API or the first start. */
    createdAt: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type UserEntry = Static<typeof UserEntrySchema>;
export type User = Required<Omit<UserEntry, 'createdAt'>> & { createdAt: number | null };

const entryValidator = Compile(UserEntrySchema);

export class UsersFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`invalid users file ${file}:\n  ${problems.join('\n  ')}`);
  }
}

/** One entry: the account, or what is wrong with it. */
function checkEntry(entry: unknown, institutes: ReadonlySet<string>): User | string[] {
  if (!entryValidator.Check(entry)) {
    return [...entryValidator.Errors(entry)].map((e) => `${e.instancePath || '(entry)'} ${e.message}`);
  }
  const problem = accountProblem(entry, institutes);
  if (problem !== null) return [problem];
  return {
    ...entry,
    name: entry.name ?? entry.username,
    scope: entry.scope ?? DISTRICT,
    disabled: entry.disabled ?? false,
    createdAt: entry.createdAt ?? null,
  };
}

/** Reads and checks the file; `institutes` are the network's 所 ids a scope may name. */
export function readUsers(file: string, institutes: ReadonlySet<string>): User[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsersFileError(file, [`not readable JSON: ${(error as Error).message}`]);
  }
  if (!Array.isArray(parsed)) throw new UsersFileError(file, ['must be a JSON array of accounts']);
  const problems: string[] = [];
  const users = new Map<string, User>();
  for (const [i, entry] of (parsed as unknown[]).entries()) {
    const label = `entry ${i} (${JSON.stringify((entry as { username?: unknown } | null)?.username ?? null)})`;
    const checked = checkEntry(entry, institutes);
    if (Array.isArray(checked)) problems.push(...checked.map((p) => `${label}: ${p}`));
    else if (users.has(checked.username.toLowerCase())) problems.push(`${label}: username appears twice`);
    else users.set(checked.username.toLowerCase(), checked);
  }
  if (problems.length > 0) throw new UsersFileError(file, problems);
  return [...users.values()];
}

export interface SeedOptions {
  /** The admin's password; empty = generated. */
  adminPassword: string;
  /** Also create demo leader and dispatcher accounts. */
  demo: boolean;
  /** A town for the demo town dispatcher. */
  firstInstitute: string | undefined;
}

/**
 * Writes the first-start accounts unless the file exists. Returns the generated passwords, to be
 * printed once: they are stored only hashed.
 */
export async function seedUsers(file: string, options: SeedOptions): Promise<{ username: string; password: string }[]> {
  if (existsSync(file)) return [];
  const plan: { entry: Omit<UserEntry, 'passwordHash'>; password: string; generated: boolean }[] = [
    {
      entry: { username: 'admin', name: '系统管理员', role: Role.admin },
      password: options.adminPassword || generatePassword(),
      generated: options.adminPassword === '',
    },
  ];
  if (options.demo) {
    const demo = (entry: Omit<UserEntry, 'passwordHash'>) =>
      plan.push({ entry, password: generatePassword(), generated: true });
    demo({ username: 'leader', name: '演示领导', role: Role.leader });
    demo({ username: 'dispatcher', name: '演示调度(全区)', role: Role.dispatcher, scope: DISTRICT });
    if (options.firstInstitute) {
      demo({
        username: `dispatcher-${options.firstInstitute}`,
        name: '演示调度(镇街)',
        role: Role.dispatcher,
        scope: options.firstInstitute,
      });
    }
  }
  const createdAt = Date.now();
  const entries = await Promise.all(
    plan.map(async (p) => ({ ...p.entry, createdAt, passwordHash: await hashPassword(p.password) })),
  );
  writePrivate(file, `${JSON.stringify(entries, null, 2)}\n`);
  return plan.filter((p) => p.generated).map((p) => ({ username: p.entry.username, password: p.password }));
}
