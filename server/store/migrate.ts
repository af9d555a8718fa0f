import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Transport } from './transport.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** `NNN_name.sql` files, each a list of statements separated by `;` at a line end. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(`${dir}${file}`, 'utf8');
      const statements = text
        .split(/;\s*$/m)
        .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
        .filter((s) => s.length > 0);
      return { version: Number(file.slice(0, 3)), name: file.slice(4, -4), statements };
    });
}

/** Which migrations a store holds (cluster-ddl.ts makes the same table for a cluster). */
export const SCHEMA_MIGRATIONS_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations
(version UInt32, name String, applied_at DateTime DEFAULT now())
ENGINE = ReplacingMergeTree ORDER BY version`;

/**
 * Applies the migrations not yet recorded, in order. Each statement is idempotent (IF NOT EXISTS),
 * so a start interrupted mid-migration simply runs that migration again.
 */
export async function migrate(transport: Transport, migrations = loadMigrations()): Promise<number[]> {
  await transport.command(SCHEMA_MIGRATIONS_DDL);
  const done = new Set(
    (await transport.query<{ version: number }>('SELECT version FROM schema_migrations FINAL')).map((r) => r.version),
  );
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements) await transport.command(statement);
    await transport.command('INSERT INTO schema_migrations (version, name) VALUES ({version:UInt32}, {name:String})', {
      version: m.version,
      name: m.name,
    });
    applied.push(m.version);
  }
  return applied;
}
