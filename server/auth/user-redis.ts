/**
 * People's accounts shared by several nodes (REDIS_URL): one Redis hash per account under its
 * lower-cased username, and one set naming them all. A hash per account rather than one hash of
 * them all: a change writes only the fields it changes, so a password reset on one node and a
 * disable of the same account on another both stand (one hash of JSON entries would make each a
 * read-modify-write, the later overwriting the earlier), and a request reads only its own account.
 *
 * The users file (USERS_FILE, or DATA_DIR/users.json seeded on first start) is imported once, by the
 * first node to start with this Redis: one Lua script checks the import's mark, adds every account
 * not there yet and sets the mark, atomically — nodes starting together import once, and a later
 * node's file (even an older copy) never overwrites what an admin changed since. From then on Redis
 * is the accounts' truth; the file is only the seed.
 *
 * Each node holds the accounts in memory and asks Redis for a request's account before it is
 * answered (`load`), so a disabled account or a new password holds at the next request anywhere.
 * With Redis away a request's account is the one in memory; logins are refused (their lockout).
 * A change is written, then announced on the auth bus (bus.ts); every node re-reads the account.
 * Disabling one also ends its sessions on every node (Accounts → AuthService.endSessionsOf, whose
 * ends go through the same bus) and with them their sockets.
 */
import type { Redis } from 'ioredis';
import { Compile } from 'typebox/compile';
import { DISTRICT } from '../../shared/auth.js';
import { AuthNewsKind, type AuthBus } from './bus.js';
import type { UserDirectory } from './directories.js';
import { reach } from './reach.js';
import { UserEntrySchema, type User } from './users.js';

const PREFIX = 'wmsj:auth:user:';
const userKey = (username: string): string => `${PREFIX}${username.toLowerCase()}`;
const INDEX = 'wmsj:auth:users';
/** Set by the node that imported the users file (its NODE_ID): no other node imports it again. */
export const IMPORTED = 'wmsj:auth:users-imported';
const entryCheck = Compile(UserEntrySchema);

/** KEYS[1] the account, KEYS[2] the index; ARGV[1] its lower-cased name, then field, value, …. */
const ADD = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('SADD', KEYS[2], ARGV[1])
return 1
`;

/** KEYS[1] the account; ARGV field, value, …. Answers the account after the change, or nil. */
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
redis.call('HSET', KEYS[1], unpack(ARGV))
return redis.call('HGETALL', KEYS[1])
`;

/**
 * KEYS[1] the import's mark, KEYS[2] the index, KEYS[3…] the accounts; ARGV[1] this node,
 * ARGV[2…] each account's fields as JSON ([lower-cased name, field, value, …]). Answers 1 when
 * this node imported (0: another one had).
 */
const IMPORT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') == false then return 0 end
for i = 2, #ARGV do
  local fields = cjson.decode(ARGV[i])
  local key = KEYS[i + 1]
  if redis.call('EXISTS', key) == 0 then
    redis.call('HSET', key, unpack(fields, 2))
    redis.call('SADD', KEYS[2], fields[1])
  end
end
return 1
`;

export class RedisUserStore implements UserDirectory {
  private readonly users = new Map<string, User>();

  private constructor(
    private readonly redis: Redis,
    private readonly bus: AuthBus,
  ) {
    bus.onNews((kind, names) => {
      if (kind === AuthNewsKind.user) for (const name of names) this.reload(name);
    });
    bus.onResync(() => {
      this.readAll().catch(() => undefined);
    });
  }

  /**
   * Imports `seed` (the users file) when no node has yet, then reads every account. `imported`:
   * whether this node's file became the accounts (a first start's generated passwords hold only then).
   */
  static async open(
    redis: Redis,
    bus: AuthBus,
    nodeId: string,
    seed: readonly User[],
  ): Promise<{ store: RedisUserStore; imported: boolean }> {
    const store = new RedisUserStore(redis, bus);
    const imported =
      (await reach(redis, (r) =>
        r.eval(
          IMPORT,
          2 + seed.length,
          IMPORTED,
          INDEX,
          ...seed.map((u) => userKey(u.username)),
          nodeId,
          ...seed.map((u) => JSON.stringify([u.username.toLowerCase(), ...fieldsOf(u)])),
        ),
      )) === 1;
    await store.readAll();
    return { store, imported };
  }

  get(username: string): User | undefined {
    return this.users.get(username.toLowerCase());
  }

  async list(): Promise<User[]> {
    await this.readAll();
    return [...this.users.values()];
  }

  async add(user: User): Promise<boolean> {
    const name = user.username.toLowerCase();
    const added = await reach(this.redis, (r) => r.eval(ADD, 2, userKey(name), INDEX, name, ...fieldsOf(user)));
    if (added !== 1) return false;
    this.users.set(name, user);
    await this.announce(name);
    return true;
  }

  async update(username: string, change: Partial<Pick<User, 'passwordHash' | 'disabled'>>): Promise<User | null> {
    const fields = fieldsOf(change);
    const answer = (await reach(this.redis, (r) => r.eval(UPDATE, 1, userKey(username), ...fields))) as string[] | null;
    const user = answer && userOf(pairs(answer));
    if (!user) return null;
    this.users.set(user.username.toLowerCase(), user);
    await this.announce(user.username);
    return user;
  }

  /**
   * Reads the account as Redis holds it now. When Redis cannot be asked, what memory holds stands,
   * as for sessions (sessions.ts `load`): no account changes meanwhile, since a change writes Redis
   * first — a signed-in dispatcher keeps working; a login is refused by its lockout (lockout-redis.ts).
   */
  async load(username: string): Promise<void> {
    let found: User | undefined;
    try {
      found = userOf(await reach(this.redis, (r) => r.hgetall(userKey(username))));
    } catch {
      return;
    }
    if (found) this.users.set(username.toLowerCase(), found);
    else this.users.delete(username.toLowerCase());
  }

  private reload(name: string): void {
    // Out of reach now: the next request's `load` asks again; a resync follows the reconnection.
    this.load(name).catch(() => undefined);
  }

  private async readAll(): Promise<void> {
    const { names, read } = await reach(this.redis, async (r) => {
      const names = await r.smembers(INDEX);
      const read = await Promise.all(names.map(async (n) => [n, userOf(await r.hgetall(userKey(n)))] as const));
      return { names, read };
    });
    for (const [name, user] of read) if (user) this.users.set(name, user);
    for (const name of [...this.users.keys()]) if (!names.includes(name)) this.users.delete(name);
  }

  private async announce(username: string): Promise<void> {
    await reach(this.redis, () => this.bus.publish(AuthNewsKind.user, [username.toLowerCase()]));
  }
}

/** An account's fields as Redis keeps them: strings, `createdAt` '' when unknown, `disabled` '1' or '0'. */
function fieldsOf(u: Partial<User>): string[] {
  const fields: string[] = [];
  for (const [field, value] of Object.entries(u) as [string, string | number | boolean | null | undefined][]) {
    if (value === undefined) continue;
    if (field === 'disabled') fields.push(field, value ? '1' : '0');
    else fields.push(field, value === null ? '' : String(value));
  }
  return fields;
}

const pairs = (flat: readonly string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
};

/** The account from its hash; undefined when there is none (or it is not an account). */
function userOf(h: Record<string, string>): User | undefined {
  const entry = {
    username: h['username'],
    name: h['name'],
    role: h['role'],
    scope: h['scope'],
    passwordHash: h['passwordHash'],
    disabled: h['disabled'] === '1',
    ...(h['createdAt'] ? { createdAt: Number(h['createdAt']) } : {}),
  };
  if (!entryCheck.Check(entry)) return undefined;
  return {
    username: entry.username,
    name: entry.name ?? entry.username,
    role: entry.role,
    scope: entry.scope ?? DISTRICT,
    passwordHash: entry.passwordHash,
    disabled: entry.disabled,
    createdAt: entry.createdAt ?? null,
  };
}
