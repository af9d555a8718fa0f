/**
 * Every statement of the generated cluster schema (server/store/cluster-ddl.ts, all migrations)
 * parses: ClickHouse's own parser, through `formatQuerySingleLine` on the test's store (chdb, or the
 * server of the HTTP leg). No cluster runs here (ReplicatedMergeTree needs ClickHouse Keeper), so
 * this is what can be checked of a cluster's DDL on one machine: the text is ClickHouse's grammar.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterScript } from '../../../server/store/cluster-ddl.js';
import { loadMigrations } from '../../../server/store/migrate.js';
import type { Transport } from '../../../server/store/transport.js';
import { openTestStore } from '../../helpers/test-store.js';

const dir = mkdtempSync(join(tmpdir(), 'wmsj-cluster-ddl-'));
let store: Transport;
const parsed = async (sql: string) =>
  (await store.query<{ f: string }>('SELECT formatQuerySingleLine({sql:String}) AS f', { sql }))[0]?.f ?? '';

beforeAll(async () => {
  store = await openTestStore(dir);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the cluster schema', () => {
  const script = clusterScript(loadMigrations(), { cluster: 'wmsj', database: 'wmsj' }).filter((s) => !s.skipped);

  it('parses, every statement, as the statement it is', async () => {
    expect(script.length).toBeGreaterThan(30);
    for (const { sql } of script) {
      const formatted = await parsed(sql);
      // The parser's own text of it: the same kind of statement, on the cluster where it is DDL.
      expect(formatted.split(' ', 2)).toEqual(sql.split(/\s+/, 2));
      if (/^(CREATE|ALTER) /.test(sql)) expect(formatted).toContain('ON CLUSTER wmsj');
    }
  });

  it('is checked by a parser that refuses what is not ClickHouse', async () => {
    const first = script.find((s) => s.sql.startsWith('CREATE TABLE'))?.sql ?? '';
    // The engine's arguments left open: a mistake a transformer could make.
    await expect(parsed(first.replace("'{replica}')", "'{replica}'"))).rejects.toThrow(/Syntax error/);
  });
});
