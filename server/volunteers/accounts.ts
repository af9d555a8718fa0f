/**
 * Volunteers' phone accounts, held in memory (by id and by phone) and written through to ClickHouse
 * before a change is answered. Why ClickHouse and not the users file (auth/users.ts): the county
 * counts its volunteers in the tens of thousands, the users file is rewritten whole on every change
 * and read by people; and an approved account's id is its row in the `volunteers` registry, which
 * lives in the store (so a backup holds both together).
 *
 * Several nodes share the store, so it stays the accounts' one truth (shared.ts): a change is
 * written, then announced, and every other node reads that row again; a lookup that misses here
 * (a login by phone, a session's id) reads the store before it refuses; new ids are numbered by
 * Redis, so two nodes registering at once never hand out one id twice.
 */
import { SKILLS } from '../../shared/candidates.js';
import { maskPhone } from '../../shared/mask.js';
import {
  APP_VOLUNTEER_PREFIX,
  nextStatus,
  VolunteerCode,
  type AccountAction,
  type AccountInfo,
  type RegistrationBody,
} from '../../shared/volunteer.js';
import { insertVolunteers } from '../store/network-repository.js';
import type { Transport } from '../store/transport.js';
import {
  loadAccounts,
  loadAccountsWhere,
  saveAccount,
  type AccountRow,
} from '../store/volunteer-accounts-repository.js';
import type { SharedAccounts } from './shared.js';

const appId = (n: number): string => `${APP_VOLUNTEER_PREFIX}${String(n).padStart(6, '0')}`;

export type Refusal = { ok: false; code: VolunteerCode };
export type Outcome<T> = { ok: true; value: T } | Refusal;

export class VolunteerAccounts {
  private readonly byId = new Map<string, AccountRow>();
  private readonly byPhone = new Map<string, string>();
  /** Ids another node changed whose rows are being read again. */
  private readonly stale = new Set<string>();
  private last = 0;

  private constructor(
    private readonly store: Transport,
    private readonly now: () => number,
    private readonly shared: SharedAccounts | null,
  ) {}

  /** `shared`: several nodes (REDIS_URL) — their news, and the cluster's numbering. */
  static async open(
    store: Transport,
    now: () => number = Date.now,
    shared: SharedAccounts | null = null,
  ): Promise<VolunteerAccounts> {
    const accounts = new VolunteerAccounts(store, now, shared);
    await accounts.readAll();
    shared?.onNews((ids) => {
      // Stale from now on: a lookup meanwhile reads the store rather than answer the old row.
      for (const id of ids) accounts.stale.add(id);
      accounts.reread({ ids }).catch((error: unknown) => shared.warn(error));
    });
    shared?.onResync(() => {
      accounts.readAll().catch((error: unknown) => shared.warn(error));
    });
    return accounts;
  }

  /**
   * The account, read from the store when this node does not hold it (another node registered it),
   * holds it stale (news of a change is being read), or `fresh` asks for the store's (a decision,
   * a login: another node's change may be a moment ahead of its news).
   */
  async find(id: string, fresh = false): Promise<AccountRow | undefined> {
    if (this.shared && (fresh || this.unsure(id))) await this.reread({ ids: [id] });
    return this.byId.get(id);
  }

  /** `find` by phone number. */
  async findByPhone(phone: string, fresh = false): Promise<AccountRow | undefined> {
    const id = this.byPhone.get(phone);
    if (this.shared && (fresh || id === undefined || this.unsure(id))) await this.reread({ phones: [phone] });
    return this.byPhoneNumber(phone);
  }

  /** `find` of several ids, the missing ones read in one query. */
  async findMany(ids: readonly string[]): Promise<(AccountRow | undefined)[]> {
    const missing = ids.filter((id) => this.unsure(id));
    if (this.shared && missing.length > 0) await this.reread({ ids: missing });
    return ids.map((id) => this.byId.get(id));
  }

  get(id: string): AccountRow | undefined {
    return this.byId.get(id);
  }

  byPhoneNumber(phone: string): AccountRow | undefined {
    const id = this.byPhone.get(phone);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Accounts of a town (or every town for `null`), newest first. */
  list(town: string | null): AccountRow[] {
    return [...this.byId.values()]
      .filter((a) => town === null || a.instituteId === town)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * A new registration, pending. A phone may hold one account; a rejected one may register again
   * (the new registration takes the phone over).
   */
  async register(body: RegistrationBody, passwordHash: string): Promise<Outcome<AccountRow>> {
    const release = this.shared ? await this.shared.claimPhone(body.phone) : undefined;
    // Another node is registering this phone now: one of the two may have it.
    if (release === null) return { ok: false, code: VolunteerCode.phoneTaken };
    try {
      return await this.registerFree(body, passwordHash);
    } finally {
      await release?.();
    }
  }

  private async registerFree(body: RegistrationBody, passwordHash: string): Promise<Outcome<AccountRow>> {
    const held = await this.findByPhone(body.phone, true);
    if (held && held.status !== 'rejected') return { ok: false, code: VolunteerCode.phoneTaken };
    const at = this.now();
    const n = this.shared ? await this.shared.nextNumber(this.last) : this.last + 1;
    this.last = Math.max(this.last, n);
    const row: AccountRow = {
      id: appId(n),
      name: body.name.trim(),
      phone: body.phone,
      instituteId: body.instituteId,
      stationId: body.stationId,
      skills: [...body.skills],
      availability: [...body.availability],
      passwordHash,
      status: 'pending',
      reason: '',
      decidedBy: '',
      createdAt: at,
      updatedAt: at,
    };
    await saveAccount(this.store, row);
    this.hold(row);
    await this.shared?.announce([row.id]);
    return { ok: true, value: row };
  }

  /** A dispatcher's decision; approval writes the volunteer into the registry first. */
  async decide(id: string, action: AccountAction, reason: string, by: string): Promise<Outcome<AccountRow>> {
    const row = await this.find(id, true);
    if (!row) return { ok: false, code: VolunteerCode.notFound };
    const next = nextStatus(row.status, action, reason);
    if (!next.ok) return next;
    if (action === 'approve') await this.enrol(row);
    return this.save({ ...row, status: next.status, reason: action === 'reject' ? reason.trim() : '', decidedBy: by });
  }

  async setPassword(id: string, passwordHash: string): Promise<Outcome<AccountRow>> {
    const row = await this.find(id, true);
    if (!row) return { ok: false, code: VolunteerCode.notFound };
    return this.save({ ...row, passwordHash });
  }

  private async save(row: AccountRow): Promise<Outcome<AccountRow>> {
    // Strictly later than the row it replaces, so ReplacingMergeTree keeps this one.
    const changed = { ...row, updatedAt: Math.max(this.now(), row.updatedAt + 1) };
    await saveAccount(this.store, changed);
    this.hold(changed);
    await this.shared?.announce([changed.id]);
    return { ok: true, value: changed };
  }

  private async readAll(): Promise<void> {
    const rows = await loadAccounts(this.store);
    for (const row of rows.sort((a, b) => a.createdAt - b.createdAt)) this.hold(row);
  }

  /** The rows as stored now, over what this node holds. */
  private async reread(where: { ids?: readonly string[]; phones?: readonly string[] }): Promise<void> {
    const rows = await loadAccountsWhere(this.store, where);
    for (const row of rows.sort((a, b) => a.createdAt - b.createdAt)) this.hold(row);
    for (const id of where.ids ?? []) this.stale.delete(id);
  }

  private unsure(id: string): boolean {
    return !this.byId.has(id) || this.stale.has(id);
  }

  /** The registry row: the team is the station's 专业队 of the first skill, as the seed numbers them. */
  private async enrol(row: AccountRow): Promise<void> {
    const team =
      Math.max(
        0,
        SKILLS.findIndex((s) => s === row.skills[0]),
      ) + 1;
    await insertVolunteers(this.store, [
      {
        id: row.id,
        name: row.name,
        phone: row.phone,
        teamId: `${row.instituteId}:${row.stationId}:T${String(team).padStart(2, '0')}`,
        instituteId: row.instituteId,
        stationId: row.stationId,
        skills: row.skills,
        registeredAt: Math.floor(this.now() / 1000),
      },
    ]);
  }

  private hold(row: AccountRow): void {
    this.stale.delete(row.id);
    // A read that began before this node's own later change must not undo it.
    if ((this.byId.get(row.id)?.updatedAt ?? -Infinity) > row.updatedAt) return;
    this.byId.set(row.id, row);
    const previous = this.byPhone.get(row.phone);
    // A rejected account keeps its phone only until a new registration takes it over.
    if (previous === undefined || previous === row.id || this.byId.get(previous)?.status === 'rejected') {
      this.byPhone.set(row.phone, row.id);
    }
    const n = Number(row.id.slice(APP_VOLUNTEER_PREFIX.length));
    if (row.id.startsWith(APP_VOLUNTEER_PREFIX) && Number.isInteger(n)) this.last = Math.max(this.last, n);
  }
}

/** An account as the console lists it; the phone in full only when `fullPhone`. */
export function accountInfo(row: AccountRow, fullPhone: boolean): AccountInfo {
  return {
    id: row.id,
    name: row.name,
    phone: fullPhone ? row.phone : maskPhone(row.phone),
    instituteId: row.instituteId,
    stationId: row.stationId,
    skills: row.skills,
    availability: row.availability,
    status: row.status,
    reason: row.reason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
