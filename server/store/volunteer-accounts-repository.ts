/**
 * Volunteers' phone accounts (migration 010): every change is a new row, the latest `updated_at`
 * wins (ReplacingMergeTree; read with FINAL). Approval also writes the `volunteers` registry row,
 * through network-repository's insert, so the account and the registry share one id.
 */
import type { AccountStatus } from '../../shared/volunteer.js';
import type { Transport } from './transport.js';

export interface AccountRow {
  id: string;
  name: string;
  phone: string;
  instituteId: string;
  stationId: string;
  skills: string[];
  availability: string[];
  passwordHash: string;
  status: AccountStatus;
  reason: string;
  decidedBy: string;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

const COLUMNS = [
  'id',
  'name',
  'phone',
  'institute_id',
  'station_id',
  'skills',
  'availability',
  'password_hash',
  'status',
  'reason',
  'decided_by',
  'created_at',
  'updated_at',
] as const;

const SELECT = `SELECT id, name, phone, institute_id AS instituteId, station_id AS stationId, skills, availability,
            password_hash AS passwordHash, status, reason, decided_by AS decidedBy,
            toUnixTimestamp64Milli(created_at) AS createdAt, toUnixTimestamp64Milli(updated_at) AS updatedAt
     FROM volunteer_accounts FINAL`;

export async function loadAccounts(t: Transport): Promise<AccountRow[]> {
  return t.query<AccountRow>(SELECT);
}

/**
 * The accounts with these ids or phones as stored now: what another node changed (several nodes
 * share the store), read again when its news arrives or a lookup here misses.
 */
export async function loadAccountsWhere(
  t: Transport,
  where: { ids?: readonly string[]; phones?: readonly string[] },
): Promise<AccountRow[]> {
  const ids = where.ids ?? [];
  const phones = where.phones ?? [];
  if (ids.length === 0 && phones.length === 0) return [];
  return t.query<AccountRow>(`${SELECT} WHERE id IN {ids:Array(String)} OR phone IN {phones:Array(String)}`, {
    ids,
    phones,
  });
}

/** Writes one account's current state; resolves once ClickHouse has it. */
export async function saveAccount(t: Transport, a: AccountRow): Promise<void> {
  const row = [
    a.id,
    a.name,
    a.phone,
    a.instituteId,
    a.stationId,
    a.skills,
    a.availability,
    a.passwordHash,
    a.status,
    a.reason,
    a.decidedBy,
    (a.createdAt / 1000).toFixed(3),
    (a.updatedAt / 1000).toFixed(3),
  ];
  await t.insertJsonEachRow('volunteer_accounts', Buffer.from(`${JSON.stringify(row)}\n`), {
    format: 'JSONCompactEachRow',
    columns: COLUMNS,
  });
}
