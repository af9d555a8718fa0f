/**
 * Configuration: one TypeBox schema that is also the type, read from the environment and checked
 * at boot. A bad value stops the start with every offending variable named.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { CountyError, loadCounty } from '../shared/county-load.js';
import { DEFAULT_EVALUATION, type EvaluationConfig } from '../shared/evaluation.js';
import { checkEvaluationConfig } from '../shared/evaluation-config.js';
import { transportProblems } from './transport.js';

const Int = (options: { minimum: number; maximum: number; default: number }) => Type.Integer(options);

export const ConfigSchema = Type.Object(
  {
    PORT: Int({ minimum: 0, maximum: 65535, default: 3000 }),
    HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
    DATA_DIR: Type.String({ minLength: 1, default: './data' }),
    /** Where backups are written (`POST /api/v1/admin/backup`, `npm run backup`), one directory each. */
    BACKUP_DIR: Type.String({ minLength: 1, default: './backups' }),
    /**
     * A ClickHouse server over HTTP, the path naming the database (created if missing), e.g.
     * `http://default:@127.0.0.1:8123/wmsj`; empty = the embedded engine (chdb) under DATA_DIR.
     */
    CLICKHOUSE_URL: Type.String({ default: '', pattern: '^(https?://.+)?$' }),
    /**
     * Redis shared by several server nodes (`redis://:password@10.0.0.5:6379/0`, `rediss://` for
     * TLS): live frames, sessions, tokens and dispatch versions cross nodes through it (README,
     * "Several nodes"); empty = one node holding that state itself.
     */
    REDIS_URL: Type.String({ default: '', pattern: '^(rediss?://.+)?$' }),
    /** Names this node in logs, metrics and Redis keys it owns (its WAL, its leases); empty = host name and port. */
    NODE_ID: Type.String({ default: '', pattern: '^([A-Za-z0-9_.-]{1,64})?$' }),
    /** A shipped county (`shuangliu`, `baokang`) or a county's directory (counties/README.md); seeds an empty store. */
    NETWORK: Type.String({ minLength: 1, default: 'shuangliu' }),
    /**
     * The live simulator: `county` plays the county's own rhythm (seed/rhythm.ts, as its history has
     * it); a number is that many events a second averaged over a day (the same rhythm sped up, for
     * load runs and demos); 0 switches it off.
     */
    SIMULATOR_RATE: Type.Union([Type.Literal('county'), Type.Number({ minimum: 0, maximum: 200_000 })], {
      default: 'county',
    }),
    /** History backfill size relative to the articles' figures (1 = a full year). */
    BACKFILL_SCALE: Type.Number({ minimum: 0, maximum: 100, default: 1 }),
    SEED: Int({ minimum: 0, maximum: 2 ** 31 - 1, default: 20231 }),
    /**
     * The origin phones reach the product at (`https://wmsj.example.cn`, no path): every node's
     * 文明实践码 links to PUBLIC_URL/c/<code> (shared/node-link.ts); empty = the origin a screen was
     * opened at, which suits one LAN but not a printed poster.
     */
    PUBLIC_URL: Type.String({ default: '', pattern: '^(https?://[^/?#\\s]+)?$' }),
    /** Optional raster tile URL template for the wall map; empty = vector layers only. */
    TILE_URL: Type.String({ default: '' }),
    LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
    /** `pretty` = text lines for a person; `json` = one JSON object a line for a collector; `auto` = pretty on a terminal. */
    LOG_FORMAT: Type.Enum(['auto', 'pretty', 'json'], { default: 'auto' }),
    /** Comma-separated device/API tokens allowed to ingest; empty = one generated and kept in DATA_DIR. */
    INGEST_TOKENS: Type.String({ default: '' }),
    /** Write-ahead-log bytes not yet in ClickHouse beyond which ingest answers 503. */
    /** Where the write-ahead log lives; empty = DATA_DIR/wal. A disk of its own keeps ingest apart from ClickHouse's. */
    WAL_DIR: Type.String({ default: '' }),
    WAL_MAX_BYTES: Int({ minimum: 1024, maximum: 2 ** 40, default: 1024 ** 3 }),
    FLUSH_MAX_EVENTS: Int({ minimum: 1, maximum: 1_000_000, default: 50_000 }),
    FLUSH_MAX_AGE_MS: Int({ minimum: 1, maximum: 60_000, default: 250 }),
    /** Dashboard definitions (JSON, watched: an edit re-lays open screens); relative to the working directory. */
    DASHBOARDS_DIR: Type.String({ minLength: 1, default: 'dashboards' }),
    /** Live hub frame interval. */
    TICK_MS: Int({ minimum: 10, maximum: 10_000, default: 25 }),
    /** People's accounts (JSON, see README "Roles and access"); empty = DATA_DIR/users.json, seeded once. */
    USERS_FILE: Type.String({ default: '' }),
    /** The seeded admin's password on first start; empty = one generated and printed once. */
    ADMIN_PASSWORD: Type.String({ default: '', pattern: '^(.{12,})?$' }),
    /** Also seed demo leader/dispatcher accounts on first start. */
    DEMO_USERS: Type.Boolean({ default: false }),
    /** Anonymous screens may read the wall (network, KPIs, live). Off unless switched on. */
    PUBLIC_DISPLAY: Type.Boolean({ default: false }),
    /** Signs session cookies; empty = one generated and kept (0600) in DATA_DIR. */
    SESSION_SECRET: Type.String({ default: '', pattern: '^(.{32,})?$' }),
    /** How long a login lasts; its sockets close when it runs out. Fractions allowed (tests use seconds). */
    SESSION_TTL_HOURS: Type.Number({ minimum: 0.001, maximum: 24 * 30, default: 12 }),
    /**
     * Always mark cookies `Secure`. Without it they are `Secure` on every request that came over TLS
     * (TLS_CERT, or a TRUST_PROXY proxy saying https); set it for a proxy that says nothing.
     */
    COOKIE_SECURE: Type.Boolean({ default: false }),
    /** PEM certificate (chain) and private key files: both make the server speak https; neither, http. */
    TLS_CERT: Type.String({ default: '' }),
    TLS_KEY: Type.String({ default: '' }),
    /** Proxies whose X-Forwarded-Proto/-For count (server/transport.ts): `true`, or addresses/CIDRs; empty = none. */
    TRUST_PROXY: Type.String({ default: '' }),
    /** Other origins allowed to call the API and open sockets (comma-separated); empty = same-origin only. */
    CORS_ORIGINS: Type.String({ default: '', pattern: '^(https?://[^/,\\s]+/?(\\s*,\\s*https?://[^/,\\s]+/?)*)?$' }),
    /** Logins one address may try a minute, any accounts (each account and address is also locked after 5 failures). */
    LOGIN_ATTEMPTS_PER_MINUTE: Int({ minimum: 1, maximum: 100_000, default: 30 }),
    /** 点单, 百姓点题 and ratings one address may send a minute on the public pages. */
    PUBLIC_POSTS_PER_MINUTE: Int({ minimum: 1, maximum: 100_000, default: 5 }),
    /** 点单 and 百姓点题 one node may receive an hour, from everyone (a poster copied onto a script). */
    PUBLIC_NODE_POSTS_PER_HOUR: Int({ minimum: 1, maximum: 1_000_000, default: 60 }),
    /** Public page and tracking reads one address may make a minute. */
    PUBLIC_READS_PER_MINUTE: Int({ minimum: 1, maximum: 100_000, default: 60 }),
    /**
     * Who sends volunteers' SMS login codes (server/volunteers/sms.ts). Only `log` exists: the code is
     * written to the server log, marked "SMS (log provider, not sent)"; nothing reaches a phone.
     */
    SMS_PROVIDER: Type.Enum(['log'], { default: 'log' }),
    /** Open sockets one address may hold (all namespaces); behind a proxy, all its screens share one. */
    SOCKETS_PER_ADDRESS: Int({ minimum: 1, maximum: 1_000_000, default: 200 }),
    /** Open sockets one token or session may hold (all namespaces). */
    SOCKETS_PER_CREDENTIAL: Int({ minimum: 1, maximum: 100_000, default: 20 }),
    /** A request's headers must arrive within this, and the whole request within REQUEST_TIMEOUT_MS (408). */
    HEADERS_TIMEOUT_MS: Int({ minimum: 1_000, maximum: 600_000, default: 10_000 }),
    REQUEST_TIMEOUT_MS: Int({ minimum: 1_000, maximum: 3_600_000, default: 30_000 }),
    /** Events one socket may send per second on any namespace; a socket at 3× is disconnected. */
    SOCKET_EVENTS_PER_SECOND: Int({ minimum: 1, maximum: 100_000, default: 100 }),
    /** Refuse (409 ORDER_DOUBLE_BOOKING) a claim or reassignment onto a volunteer already on an open order; off = warn only. */
    DISPATCH_BLOCK_DOUBLE_BOOKING: Type.Boolean({ default: false }),
    /** Escalate overdue orders one level up and expire old unclaimed ones automatically (shared/order-sla.ts). */
    DISPATCH_AUTO_ESCALATE: Type.Boolean({ default: true }),
    /** Meeting control: how long a controlling tablet may be away before its walls return to their playlists. */
    MEETING_GRACE_MS: Int({ minimum: 200, maximum: 3_600_000, default: 120_000 }),
    /** 一月一评估 weights (JSON, shared/evaluation.ts EvaluationConfigSchema); empty = the built-in defaults. */
    EVALUATION_FILE: Type.String({ default: '' }),
    /** The Chromium that prints evaluation reports (the Debian package's); checked when a report is printed. */
    CHROMIUM_PATH: Type.String({ minLength: 1, default: '/usr/bin/chromium' }),
    /** Make each closed month's, half-year's and year's report by itself (and catch up after downtime); off = on demand only. */
    REPORT_SCHEDULE: Type.Boolean({ default: true }),
  },
  { additionalProperties: true },
);
export type Config = Static<typeof ConfigSchema>;

const validator = Compile(ConfigSchema);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Never echoed in an error message: a typo in a secret must not print the secret. */
const SECRET_KEYS: ReadonlySet<string> = new Set([
  'ADMIN_PASSWORD',
  'SESSION_SECRET',
  'INGEST_TOKENS',
  'REDIS_URL',
  'CLICKHOUSE_URL',
]);

const BOOLEANS: Readonly<Record<string, boolean>> = { '1': true, true: true, '0': false, false: false };

/** Variables that are a number or a word (`SIMULATOR_RATE=county|20`): a number when they read as one. */
const NUMBER_OR_WORD: ReadonlySet<string> = new Set(['SIMULATOR_RATE']);

/** Numbers and booleans come as strings; anything unreadable is left as is for the schema to name. */
function coerce(key: string, value: string, fallback: unknown): unknown {
  const numeric = typeof fallback === 'number' || NUMBER_OR_WORD.has(key);
  if (numeric && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (typeof fallback === 'boolean') return BOOLEANS[value.trim().toLowerCase()] ?? value;
  return value;
}

const defaults: Record<string, unknown> = Object.fromEntries(
  Object.entries(ConfigSchema.properties).map(([key, schema]) => [key, (schema as { default?: unknown }).default]),
);

/** The checkout holding counties/ (the shipped counties NETWORK names). */
const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The county's files are part of the configuration: every problem in them stops the start, with its file and line. */
function countyProblems(network: unknown): string[] {
  if (typeof network !== 'string' || network === '') return [];
  try {
    loadCounty(network, ROOT, (path) => {
      try {
        return readFileSync(path);
      } catch (error) {
        return { problem: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
      }
    });
    return [];
  } catch (error) {
    if (!(error instanceof CountyError)) throw error;
    return error.problems.map((p) => `NETWORK=${JSON.stringify(network)}: ${p}`);
  }
}

/**
 * The 一月一评估 weights of EVALUATION_FILE (`path`), or the built-in defaults when it is empty; throws
 * with every problem named. The live hub reads it once at start and hands it to the named queries.
 */
export function loadEvaluationConfig(path: string): EvaluationConfig {
  if (path === '') return DEFAULT_EVALUATION;
  return checkEvaluationConfig(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** Reads the known variables from `env`, applies defaults, and lists every bad one. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = env[key];
    raw[key] = value === undefined || value === '' ? fallback : coerce(key, value, fallback);
  }
  if (!validator.Check(raw)) {
    const problems = [...validator.Errors(raw)]
      .filter((e) => e.instancePath !== '')
      .map((e) => {
        const key = e.instancePath.slice(1).split('/')[0] ?? '';
        const shown = SECRET_KEYS.has(key) ? '(hidden)' : JSON.stringify(env[key]);
        return `${key}=${shown}: ${e.message}`;
      });
    throw new ConfigError([...new Set(problems), ...countyProblems(raw['NETWORK'])]);
  }
  // Node refuses a headers timeout longer than the request's.
  if (raw.HEADERS_TIMEOUT_MS > raw.REQUEST_TIMEOUT_MS) {
    throw new ConfigError([`HEADERS_TIMEOUT_MS=${raw.HEADERS_TIMEOUT_MS}: must not exceed REQUEST_TIMEOUT_MS`]);
  }
  // The evaluation file is part of the configuration: a bad weight stops the start, named.
  if (raw.EVALUATION_FILE !== '') {
    try {
      loadEvaluationConfig(raw.EVALUATION_FILE);
    } catch (error) {
      throw new ConfigError([`EVALUATION_FILE=${JSON.stringify(raw.EVALUATION_FILE)}: ${(error as Error).message}`]);
    }
  }
  const county = countyProblems(raw.NETWORK);
  if (county.length > 0) throw new ConfigError(county);
  // Certificate files and proxy addresses are checked here too, so a bad one stops the start named.
  const transport = transportProblems(raw);
  if (transport.length > 0) throw new ConfigError(transport);
  return raw;
}
