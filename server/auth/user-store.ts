/**
 * People's accounts as the admin API changes them: held in memory, looked up case-insensitively,
 * and written back whole to the users file they were read from (replaced atomically, 0600, hashes
 * only) before a change is answered — so a crash never loses an answered change nor leaves half a
 * file, and the next start checks the file by the same rules (users.ts).
 */
import type { UserDirectory } from './directories.js';
import { writePrivate } from './files.js';
import { readUsers, type User, type UserEntry } from './users.js';

export class UserStore implements UserDirectory {
  private users: ReadonlyMap<string, User>;

  constructor(
    private readonly file: string,
    users: readonly User[],
  ) {
    this.users = new Map(users.map((u) => [key(u.username), u]));
  }

  /** Reads and checks the file (a bad entry stops the start, named); `towns` are the 所 ids a scope may name. */
  static open(file: string, towns: ReadonlySet<string>): UserStore {
    return new UserStore(file, readUsers(file, towns));
  }

  get(username: string): User | undefined {
    return this.users.get(key(username));
  }

  list(): User[] {
    return [...this.users.values()];
  }

  /** Adds an account; false (nothing written) when the username is taken, in any letter case. */
  add(user: User): boolean {
    if (this.users.has(key(user.username))) return false;
    this.commit(new Map([...this.users, [key(user.username), user]]));
    return true;
  }

  /** Changes an account's password hash or disabled flag; null when there is no such account. */
  update(username: string, change: Partial<Pick<User, 'passwordHash' | 'disabled'>>): User | null {
    const found = this.get(username);
    if (!found) return null;
    const changed = { ...found, ...change };
    this.commit(new Map([...this.users, [key(username), changed]]));
    return changed;
  }

  /** Written first, swapped in after: a failed write leaves memory and disk as they were. */
  private commit(next: ReadonlyMap<string, User>): void {
    const entries = [...next.values()].map(entryOf);
    writePrivate(this.file, `${JSON.stringify(entries, null, 2)}\n`);
    this.users = next;
  }
}

const key = (username: string): string => username.toLowerCase();

/** The file's shape: optional fields only when they say something. */
const entryOf = (u: User): UserEntry => ({
  username: u.username,
  name: u.name,
  role: u.role,
  scope: u.scope,
  passwordHash: u.passwordHash,
  ...(u.disabled ? { disabled: true } : {}),
  ...(u.createdAt === null ? {} : { createdAt: u.createdAt }),
});
