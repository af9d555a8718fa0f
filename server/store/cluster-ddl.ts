/**
 * The store's schema for a ClickHouse cluster, generated from the same migrations the app applies
 * (one source of truth; `npm run db:cluster-ddl -- --cluster <name>` prints it; deploy/README.md
 * explains the layout). A pure function of the migrations' SQL:
 *
 * - each table of facts becomes `<name>_local`, a Replicated*MergeTree per shard (same columns, keys,
 *   partitions, TTL and settings), plus `<name>`, a Distributed table over it: the app reads and
 *   writes the names it always has, and the cluster spreads them;
 * - the registry tables (REPLICATED_EVERYWHERE) are one Replicated table every host holds whole, no
 *   Distributed: queries on sharded tables join them or filter by them on each shard, locally;
 * - materialized views read and write the shards' local tables, so each shard rolls up what it holds;
 * - ALTERs go to the local tables (and, for columns, the Distributed ones too);
 * - data statements (the backfills of stores older than a migration) are left out: a new cluster has
 *   no history to roll up. Anything else is refused by name, so a new kind of statement cannot slip
 *   through untranslated.
 */
import { SCHEMA_MIGRATIONS_DDL, type Migration } from './migrate.js';

export interface ClusterOptions {
  /** The cluster's name in the servers' `remote_servers`. */
  cluster: string;
  /** The database the app's CLICKHOUSE_URL names. */
  database: string;
}

export interface ClusterStatement {
  /** The migration it comes from (0: the app's own `schema_migrations`). */
  version: number;
  sql: string;
  /** Why the migration's statement `sql` has no cluster form and is left out; absent when it is translated. */
  skipped?: string;
}

/** Small tables every host keeps whole (the network, the volunteers' registry, the migrations applied). */
export const REPLICATED_EVERYWHERE: ReadonlySet<string> = new Set([
  'schema_migrations',
  'nodes',
  'network_geo',
  'volunteers',
]);

/**
 * How rows are spread over shards: by default a hash of the sorting key, so the copies a
 * ReplacingMergeTree collapses meet on one shard. `events` by its subject instead: its views write
 * on the shard that holds the event, and `articles` (replaced per article, read FINAL) needs all of
 * an article's publications (subject = the article) on one shard; copies of an event share it too.
 */
const SHARDING_KEY: Readonly<Record<string, string>> = { events: 'cityHash64(subject_id)' };

const MERGE_TREES = /^(|Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing|Graphite)MergeTree$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CLUSTER = /^[A-Za-z0-9_.{}-]+$/;

export function clusterDdl(migrations: readonly Migration[], options: ClusterOptions): ClusterStatement[] {
  if (!CLUSTER.test(options.cluster)) throw new Error(`not a cluster name: ${JSON.stringify(options.cluster)}`);
  if (!NAME.test(options.database)) throw new Error(`not a database name: ${JSON.stringify(options.database)}`);
  const sharded = new Set<string>();
  const out: ClusterStatement[] = [];
  for (const m of migrations) {
    for (const sql of m.statements) {
      for (const s of translate(sql, options, sharded)) out.push({ version: m.version, ...s });
    }
  }
  return out;
}

/**
 * The whole script, in order: on a new cluster (`from` 1) the database and `schema_migrations`
 * first; then the migrations from `from` on (a release's new ones; the earlier ones still tell which
 * tables are sharded); then their versions recorded, so that the app's own migrate() finds every
 * one applied and changes nothing.
 */
export function clusterScript(migrations: readonly Migration[], options: ClusterOptions, from = 1): ClusterStatement[] {
  const use: ClusterStatement = { version: 0, sql: `USE ${options.database}` };
  const head: ClusterStatement[] =
    from <= 1
      ? [
          { version: 0, sql: `CREATE DATABASE IF NOT EXISTS ${options.database} ON CLUSTER ${quote(options.cluster)}` },
          use,
          ...clusterDdl([{ version: 0, name: 'schema_migrations', statements: [SCHEMA_MIGRATIONS_DDL] }], options),
        ]
      : [use];
  const body = clusterDdl(migrations, options).filter((s) => s.version >= from);
  const applied = migrations.filter((m) => m.version >= from);
  const recorded = applied.map((m) => `(${m.version}, ${quote(m.name)})`).join(', ');
  const tail: ClusterStatement[] =
    applied.length > 0 ? [{ version: 0, sql: `INSERT INTO schema_migrations (version, name) VALUES ${recorded}` }] : [];
  return [...head, ...body, ...tail];
}

function translate(sql: string, o: ClusterOptions, sharded: Set<string>): Omit<ClusterStatement, 'version'>[] {
  const on = `ON CLUSTER ${quote(o.cluster)}`;
  const table = /^CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?([A-Za-z_]\w*)\s*\(/i.exec(sql);
  if (table) {
    const [head = '', ifNotExists = '', name = ''] = table;
    const open = head.length - 1;
    const close = matching(sql, open);
    const columns = sql.slice(open, close + 1);
    const engine = /^\s*ENGINE\s*=\s*(\w+)/i.exec(sql.slice(close + 1));
    if (!engine) throw new Error(`no ENGINE in CREATE TABLE ${name}`);
    const [whole = '', kind = ''] = engine;
    if (!MERGE_TREES.test(kind)) throw new Error(`CREATE TABLE ${name}: no replicated form of ENGINE = ${kind}`);
    let rest = sql.slice(close + 1 + whole.length);
    let args = '';
    if (/^\s*\(/.test(rest)) {
      const end = matching(rest, rest.indexOf('('));
      args = rest.slice(rest.indexOf('(') + 1, end).trim();
      rest = rest.slice(end + 1);
    }
    const everywhere = REPLICATED_EVERYWHERE.has(name);
    const local = everywhere ? name : `${name}_local`;
    const path = `/clickhouse/tables/${everywhere ? 'all' : '{shard}'}/{database}/{table}`;
    const replicated = `Replicated${kind}(${[quote(path), quote('{replica}'), ...(args ? [args] : [])].join(', ')})`;
    const create = `CREATE TABLE ${ifNotExists}${local} ${on}\n${columns}\nENGINE = ${replicated}${settings(rest)}`;
    if (everywhere) return [{ sql: create }];
    sharded.add(name);
    const orderBy = /\bORDER\s+BY\s+(.+?)\s*(?:\bSETTINGS\b|\bTTL\b|\bSAMPLE\b|\bPRIMARY\b|$)/is.exec(rest)?.[1] ?? '';
    const key = SHARDING_KEY[name] ?? shardingKey(orderBy);
    const distributed =
      `CREATE TABLE ${ifNotExists}${name} ${on} AS ${local}\n` +
      `ENGINE = Distributed(${quote(o.cluster)}, ${quote(o.database)}, ${quote(local)}, ${key})`;
    return [{ sql: create }, { sql: distributed }];
  }
  const view =
    /^CREATE\s+MATERIALIZED\s+VIEW\s+(IF\s+NOT\s+EXISTS\s+)?([A-Za-z_]\w*)\s+TO\s+([A-Za-z_]\w*)\s+AS\s+/i.exec(sql);
  if (view) {
    const [head = '', ifNotExists = '', name = '', target = ''] = view;
    const to = sharded.has(target) ? `${target}_local` : target;
    const select = localTables(sql.slice(head.length), sharded);
    return [{ sql: `CREATE MATERIALIZED VIEW ${ifNotExists}${name} ${on} TO ${to} AS\n${select}` }];
  }
  if (/^CREATE\s+MATERIALIZED\s+VIEW\b/i.test(sql)) {
    throw new Error(`a materialized view without TO <table> has no cluster form: ${firstLine(sql)}`);
  }
  const alter = /^ALTER\s+TABLE\s+([A-Za-z_]\w*)\s+/i.exec(sql);
  if (alter) {
    const [head = '', name = ''] = alter;
    const ops = settings(sql.slice(head.length));
    if (!sharded.has(name)) return [{ sql: `ALTER TABLE ${name} ${on} ${ops}` }];
    const columnOps = /^\s*(ADD|DROP|MODIFY|RENAME|COMMENT)\s+COLUMN\b/i.test(ops);
    const local = { sql: `ALTER TABLE ${name}_local ${on} ${ops}` };
    // The Distributed table carries the columns too; settings, indexes and TTL are the local table's.
    return columnOps ? [local, { sql: `ALTER TABLE ${name} ${on} ${ops}` }] : [local];
  }
  if (/^INSERT\s+INTO\b/i.test(sql)) {
    return [{ sql, skipped: 'data for a store older than this migration; a new cluster holds none' }];
  }
  throw new Error(`no cluster form for this statement: ${firstLine(sql)}`);
}

/** The deduplication window of a non-replicated table is, on a replicated one, its replicated window. */
function settings(clauses: string): string {
  return clauses.replace(/\bnon_replicated_deduplication_window\b/g, 'replicated_deduplication_window');
}

/** `ORDER BY (a, toDate(ts), id)` → `cityHash64(a, toDate(ts), id)`; an empty key spreads at random. */
function shardingKey(orderBy: string): string {
  const key = orderBy.trim();
  if (key === '' || /^tuple\(\s*\)$/i.test(key)) return 'rand()';
  const inner = key.startsWith('(') && matching(key, 0) === key.length - 1 ? key.slice(1, -1) : key;
  return `cityHash64(${inner.trim()})`;
}

/** Tables named after FROM or JOIN that are sharded become their shard's local table. */
function localTables(select: string, sharded: ReadonlySet<string>): string {
  return select
    .split(/('(?:[^'\\]|\\.)*')/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/\b(FROM|JOIN)(\s+)([A-Za-z_]\w*)\b/gi, (all, kw: string, sp: string, t: string) =>
            sharded.has(t) ? `${kw}${sp}${t}_local` : all,
          ),
    )
    .join('');
}

/** Index of the parenthesis closing the one at `open`, quotes skipped. */
function matching(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i += 1) {
    const c = sql.charAt(i);
    if (c === "'") {
      for (i += 1; i < sql.length && sql.charAt(i) !== "'"; i += sql.charAt(i) === '\\' ? 2 : 1);
    } else if (c === '(') depth += 1;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new Error(`unbalanced parentheses in: ${firstLine(sql)}`);
}

function quote(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function firstLine(sql: string): string {
  return sql.split('\n', 1)[0] ?? '';
}
