/**
 * The cluster schema generated from the migrations (server/store/cluster-ddl.ts): every table and
 * view of every migration is there, on the cluster, with a replicated engine and the same columns,
 * keys, partitions and settings; facts get a Distributed table over their shards' local tables, and
 * views read and write the local tables. Checked on the real migrations (whatever they hold, read
 * from their SQL independently of the transformer) and on generated ones (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterDdl, clusterScript, REPLICATED_EVERYWHERE } from '../../../server/store/cluster-ddl.js';
import { loadMigrations, type Migration } from '../../../server/store/migrate.js';

const OPTIONS = { cluster: 'wmsj_cluster', database: 'wmsj' };
const ON = "ON CLUSTER 'wmsj_cluster'";
const migrations = loadMigrations();
const sqlOf = (ms: readonly Migration[]) =>
  clusterDdl(ms, OPTIONS)
    .filter((s) => !s.skipped)
    .map((s) => s.sql);

/** What a migration creates, read from its SQL (not by the transformer): tables with their parts, views. */
function created(m: Migration) {
  const tables = m.statements.flatMap((s) => {
    const t =
      /^CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*(\([\s\S]*\))\s*ENGINE\s*=\s*(\w+)(?:\(([^)]*)\))?\s*([\s\S]*)$/.exec(
        s,
      );
    return t
      ? [{ name: t[1] ?? '', columns: t[2] ?? '', engine: t[3] ?? '', args: t[4] ?? '', clauses: t[5] ?? '' }]
      : [];
  });
  const views = m.statements.flatMap((s) => {
    const v = /^CREATE MATERIALIZED VIEW (?:IF NOT EXISTS )?(\w+) TO (\w+) AS\s+([\s\S]*)$/.exec(s);
    return v ? [{ name: v[1] ?? '', target: v[2] ?? '', select: v[3] ?? '' }] : [];
  });
  return { tables, views };
}

describe('cluster DDL of the real migrations', () => {
  const out = sqlOf(migrations);
  const all = migrations.map(created);
  const tables = all.flatMap((c) => c.tables);
  const views = all.flatMap((c) => c.views);
  const sharded = new Set(tables.map((t) => t.name).filter((n) => !REPLICATED_EVERYWHERE.has(n)));

  it('finds the tables and views to check (the checks below are not vacuous)', () => {
    const statements = migrations.flatMap((m) => m.statements);
    expect(tables.length).toBeGreaterThanOrEqual(12);
    expect(tables).toHaveLength(statements.filter((s) => /^CREATE TABLE\b/.test(s)).length);
    expect(views.length).toBeGreaterThanOrEqual(7);
    expect(views).toHaveLength(statements.filter((s) => /^CREATE MATERIALIZED VIEW\b/.test(s)).length);
    expect(sharded.has('events')).toBe(true);
  });

  it.each(migrations.map((m) => [m.version, m.name, m] as const))(
    'migration %i (%s): each table replicated with its columns and clauses, facts behind a Distributed table',
    (_v, _n, m) => {
      const here = sqlOf(migrations.filter((x) => x.version <= m.version));
      for (const t of created(m).tables) {
        const local = REPLICATED_EVERYWHERE.has(t.name) ? t.name : `${t.name}_local`;
        const create = here.find((s) => new RegExp(`^CREATE TABLE (IF NOT EXISTS )?${local} ${ON}\\s`).test(s)) ?? '';
        const path = REPLICATED_EVERYWHERE.has(t.name) ? 'all' : '{shard}';
        const args = [`'/clickhouse/tables/${path}/{database}/{table}'`, "'{replica}'", ...(t.args ? [t.args] : [])];
        expect(create).toContain(t.columns);
        expect(create).toContain(`ENGINE = Replicated${t.engine}(${args.join(', ')})`);
        expect(create).toContain(
          t.clauses.replace('non_replicated_deduplication_window', 'replicated_deduplication_window'),
        );
        const distributed = here.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${t.name} ${ON} AS `));
        if (REPLICATED_EVERYWHERE.has(t.name)) expect(distributed).toBeUndefined();
        else
          expect(distributed).toMatch(
            new RegExp(`AS ${local}\\nENGINE = Distributed\\('wmsj_cluster', 'wmsj', '${local}', \\w+\\(.+\\)\\)$`),
          );
      }
      for (const v of created(m).views) {
        const target = sharded.has(v.target) ? `${v.target}_local` : v.target;
        const select = v.select.replace(/\b(FROM|JOIN)(\s+)(\w+)\b/g, (all, kw: string, sp: string, t: string) =>
          sharded.has(t) ? `${kw}${sp}${t}_local` : all,
        );
        const view = here.find((s) => s.startsWith(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${v.name} ${ON} `));
        expect(view).toBe(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${v.name} ${ON} TO ${target} AS\n${select}`);
      }
    },
  );

  it('leaves no engine unreplicated, no statement off the cluster, no view reading a Distributed table', () => {
    for (const s of out) {
      expect(s).toContain(ON);
      expect(s).not.toMatch(/ENGINE = (?!Replicated|Distributed)\w+/);
      expect(s).not.toContain('non_replicated_deduplication_window');
      if (s.startsWith('CREATE MATERIALIZED VIEW')) {
        for (const t of sharded) expect(s).not.toMatch(new RegExp(`\\b(FROM|JOIN|TO) ${t}\\b`));
      }
    }
  });

  it('shards events by subject (an article’s rows meet on one shard), others by their sorting key', () => {
    expect(out).toContain(
      `CREATE TABLE IF NOT EXISTS events ${ON} AS events_local\nENGINE = Distributed('wmsj_cluster', 'wmsj', 'events_local', cityHash64(subject_id))`,
    );
    expect(out.find((s) => s.includes("'dispatch_audit_local', "))).toMatch(/cityHash64\(order_id, seq\)\)$/);
    expect(out.find((s) => s.includes("'articles_local', "))).toMatch(/cityHash64\(id\)\)$/);
  });

  it('leaves out the backfills (a new cluster has no history) and records every migration as applied', () => {
    const script = clusterScript(migrations, OPTIONS);
    const inserts = migrations.flatMap((m) => m.statements.filter((s) => s.startsWith('INSERT')));
    expect(script.filter((s) => s.skipped).map((s) => s.sql)).toEqual(inserts);
    expect(script[0]?.sql).toBe(`CREATE DATABASE IF NOT EXISTS wmsj ${ON}`);
    expect(script.at(-1)?.sql).toBe(
      `INSERT INTO schema_migrations (version, name) VALUES ${migrations.map((m) => `(${m.version}, '${m.name}')`).join(', ')}`,
    );
    // A later release's migrations alone, knowing which of the earlier tables are sharded.
    const later = clusterScript(
      migrations.filter((m) => m.version <= 8),
      OPTIONS,
      8,
    );
    expect(later.map((s) => s.sql)).toEqual([
      'USE wmsj',
      `ALTER TABLE nodes ${ON} ADD COLUMN IF NOT EXISTS address String DEFAULT ''`,
      "INSERT INTO schema_migrations (version, name) VALUES (8, 'node_address')",
    ]);
  });
});

describe('cluster DDL of generated migrations', () => {
  const ident = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/).map((s) => `t_${s}`);
  const engine = fc.constantFrom('MergeTree', 'ReplacingMergeTree', 'SummingMergeTree', 'AggregatingMergeTree');
  const table = fc.record({
    name: ident,
    engine,
    args: fc.constantFrom('', 'ver', '(a, b)'),
    columns: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 5 }),
    partition: fc.boolean(),
    ttl: fc.boolean(),
    settings: fc.constantFrom('', 'non_replicated_deduplication_window = 100', 'index_granularity = 1024'),
  });

  it('replicates each table with its arguments and clauses, and points views at the local tables', () => {
    fc.assert(
      fc.property(fc.uniqueArray(table, { minLength: 2, maxLength: 4, selector: (t) => t.name }), (ts) => {
        const statements = ts.map((t) => {
          const cols = t.columns.map((c) => `${c} UInt64`).join(',\n    ');
          const args = t.args ? `(${t.args})` : '';
          const clauses = [
            ...(t.partition ? [`PARTITION BY ${t.columns[0]} % 4`] : []),
            `ORDER BY (${t.columns.join(', ')})`,
            ...(t.ttl ? [`TTL toDateTime(${t.columns[0]}) + INTERVAL 1 DAY`] : []),
            ...(t.settings ? [`SETTINGS ${t.settings}`] : []),
          ].join('\n');
          return `CREATE TABLE IF NOT EXISTS ${t.name}\n(\n    ${cols}\n)\nENGINE = ${t.engine}${args}\n${clauses}`;
        });
        const [first, second] = ts as [(typeof ts)[0], (typeof ts)[0]];
        const view = `CREATE MATERIALIZED VIEW IF NOT EXISTS v_mv TO ${second.name} AS\nSELECT * FROM ${first.name} JOIN ${second.name} USING (x) WHERE s = 'FROM ${first.name}'`;
        const out = sqlOf([{ version: 1, name: 'generated', statements: [...statements, view] }]);
        expect(out).toHaveLength(2 * ts.length + 1);
        for (const [i, t] of ts.entries()) {
          const local = out[2 * i] ?? '';
          const args = ["'/clickhouse/tables/{shard}/{database}/{table}'", "'{replica}'", ...(t.args ? [t.args] : [])];
          expect(local).toContain(`CREATE TABLE IF NOT EXISTS ${t.name}_local ${ON}\n(`);
          expect(local).toContain(`ENGINE = Replicated${t.engine}(${args.join(', ')})\n`);
          expect(local).toContain(`ORDER BY (${t.columns.join(', ')})`);
          expect(local.includes('PARTITION BY')).toBe(t.partition);
          expect(local.includes('TTL')).toBe(t.ttl);
          expect(local.includes('non_replicated')).toBe(false);
          if (t.settings) expect(local).toContain(`SETTINGS ${t.settings.replace('non_replicated', 'replicated')}`);
          expect(out[2 * i + 1]).toBe(
            `CREATE TABLE IF NOT EXISTS ${t.name} ${ON} AS ${t.name}_local\n` +
              `ENGINE = Distributed('wmsj_cluster', 'wmsj', '${t.name}_local', cityHash64(${t.columns.join(', ')}))`,
          );
        }
        // Table names in the view become local; the same words inside a string stay as written.
        expect(out.at(-1)).toBe(
          `CREATE MATERIALIZED VIEW IF NOT EXISTS v_mv ${ON} TO ${second.name}_local AS\n` +
            `SELECT * FROM ${first.name}_local JOIN ${second.name}_local USING (x) WHERE s = 'FROM ${first.name}'`,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('refuses what it cannot put on a cluster, naming it', () => {
    const one = (sql: string) => () => clusterDdl([{ version: 9, name: 'x', statements: [sql] }], OPTIONS);
    expect(one('CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = Memory')).toThrow(/ENGINE = Memory/);
    expect(one('CREATE MATERIALIZED VIEW v ENGINE = MergeTree ORDER BY a AS SELECT a FROM t')).toThrow(/without TO/);
    expect(one('DROP TABLE t')).toThrow(/DROP TABLE t/);
    expect(() => clusterDdl([], { cluster: "a'b", database: 'wmsj' })).toThrow(/cluster name/);
  });

  it('alters the local table, and the Distributed one too when columns change', () => {
    const base = 'CREATE TABLE IF NOT EXISTS f\n(\n    a UInt8\n)\nENGINE = MergeTree\nORDER BY a';
    const out = sqlOf([
      {
        version: 1,
        name: 'x',
        statements: [
          base,
          'ALTER TABLE f ADD COLUMN IF NOT EXISTS b String',
          'ALTER TABLE f MODIFY SETTING non_replicated_deduplication_window = 5',
        ],
      },
    ]);
    expect(out.slice(2)).toEqual([
      `ALTER TABLE f_local ${ON} ADD COLUMN IF NOT EXISTS b String`,
      `ALTER TABLE f ${ON} ADD COLUMN IF NOT EXISTS b String`,
      `ALTER TABLE f_local ${ON} MODIFY SETTING replicated_deduplication_window = 5`,
    ]);
  });
});
