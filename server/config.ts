/**
 * Configuration: one TypeBox schema that is also the type, read from the environment and checked
 * at boot. A bad value stops the start with every offending variable named.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { NetworkName } from '../shared/network.js';

const Int = (options: { minimum: number; maximum: number; default: number }) => Type.Integer(options);

export const ConfigSchema = Type.Object(
  {
    PORT: Int({ minimum: 0, maximum: 65535, default: 3000 }),
    HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
    DATA_DIR: Type.String({ minLength: 1, default: './data' }),
    /**
     * A ClickHouse server over HTTP, the path naming the database (created if missing), e.g.
     * `http://default:@127.0.0.1:8123/wmsj`; empty = the embedded engine (chdb) under DATA_DIR.
     */
    CLICKHOUSE_URL: Type.String({ default: '', pattern: '^(https?://.+)?$' }),
    NETWORK: Type.Enum(Object.values(NetworkName), { default: 'shuangliu' }),
    /** Live simulator events per second; 0 switches it off. */
    SIMULATOR_RATE: Type.Number({ minimum: 0, maximum: 200_000, default: 20 }),
    /** History backfill size relative to the articles' figures (1 = a full year). */
    BACKFILL_SCALE: Type.Number({ minimum: 0, maximum: 100, default: 1 }),
    SEED: Int({ minimum: 0, maximum: 2 ** 31 - 1, default: 20231 }),
    /** Optional raster tile URL template for the wall map; empty = vector layers only. */
    TILE_URL: Type.String({ default: '' }),
    LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
    /** Comma-separated device/API tokens allowed to ingest; empty = one generated and kept in DATA_DIR. */
    INGEST_TOKENS: Type.String({ default: '' }),
    /** Write-ahead-log bytes not yet in ClickHouse beyond which ingest answers 503. */
    WAL_MAX_BYTES: Int({ minimum: 1024, maximum: 2 ** 40, default: 1024 ** 3 }),
    FLUSH_MAX_EVENTS: Int({ minimum: 1, maximum: 1_000_000, default: 50_000 }),
    FLUSH_MAX_AGE_MS: Int({ minimum: 1, maximum: 60_000, default: 250 }),
    /** Live hub frame interval. */
    TICK_MS: Int({ minimum: 10, maximum: 10_000, default: 50 }),
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

const defaults: Record<string, unknown> = Object.fromEntries(
  Object.entries(ConfigSchema.properties).map(([key, schema]) => [key, (schema as { default?: unknown }).default]),
);

/** Reads the known variables from `env`, applies defaults, and lists every bad one. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = env[key];
    if (value === undefined || value === '') raw[key] = fallback;
    else
      raw[key] =
        typeof fallback === 'number' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
  }
  if (!validator.Check(raw)) {
    const problems = [...validator.Errors(raw)]
      .filter((e) => e.instancePath !== '')
      .map((e) => {
        const key = e.instancePath.slice(1).split('/')[0] ?? '';
        return `${key}=${JSON.stringify(env[key])}: ${e.message}`;
      });
    throw new ConfigError([...new Set(problems)]);
  }
  return raw;
}
