/**
 * Imports run one way: lists every import circle and every import against the layers below, and
 * exits 1 when there is one. `node --import tsx scripts/import-graph.ts`. Reads the imports with the
 * TypeScript compiler's pre-processor (type-only ones count too: they tie the modules' design), of
 * every .ts and .vue file outside tests/, bench/ and scripts/.
 *
 *   shared ← server/store ← seed
 *   shared ← server/{config,errors,logger,transport,connections}.ts (the core: no store, no feature)
 *   shared, core, server/store ← server/{live,dispatch,auth,ingest,…} ← server/plugins (and seed)
 *          ← server/routes ← server/app.ts, server/server.ts
 *   shared ← client
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

/** The tree to read: this checkout, or another one given as the argument (to compare with an old commit). */
const ROOT = process.argv[2] ?? join(import.meta.dirname, '..');
const SOURCES = ['shared', 'server', 'seed', 'client'];

type Layer = 'shared' | 'core' | 'store' | 'seed' | 'feature' | 'plugins' | 'routes' | 'app' | 'client';
/** What each layer may import (its own layer included where listed). */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  shared: ['shared'],
  core: ['shared', 'core'],
  store: ['shared', 'store'],
  seed: ['shared', 'store', 'seed'],
  feature: ['shared', 'core', 'store', 'feature'],
  plugins: ['shared', 'core', 'store', 'seed', 'feature', 'plugins'],
  routes: ['shared', 'core', 'store', 'feature', 'plugins', 'routes'],
  app: ['shared', 'core', 'store', 'seed', 'feature', 'plugins', 'routes', 'app'],
  client: ['shared', 'client'],
};
/** The server's own ground: configuration, the error classes, logging, transport options, read by every part above. */
const CORE = new Set([
  'server/config.ts',
  'server/errors.ts',
  'server/logger.ts',
  'server/transport.ts',
  'server/connections.ts',
]);

function layerOf(file: string): Layer {
  const [top, second] = file.split('/');
  if (top === 'shared' || top === 'seed' || top === 'client') return top;
  if (CORE.has(file)) return 'core';
  if (second === 'store') return 'store';
  if (second === 'plugins') return 'plugins';
  if (second === 'routes') return 'routes';
  if (file === 'server/app.ts' || file === 'server/server.ts') return 'app';
  return 'feature';
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const path = `${dir}/${d.name}`;
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : filesUnder(path);
    return /\.(ts|vue)$/.test(d.name) && !d.name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = new Set(SOURCES.flatMap(filesUnder));

/** Relative imports of a file, resolved to files of the tree (`x.js` is `x.ts`; a folder its index). */
function importsOf(file: string): string[] {
  let text = readFileSync(join(ROOT, file), 'utf8');
  if (file.endsWith('.vue'))
    text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.flatMap(({ fileName }) => {
    if (!fileName.startsWith('.')) return [];
    const base = normalize(join(dirname(file), fileName)).replace(/\.js$/, '');
    const found = [`${base}.ts`, base, `${base}/index.ts`].find((c) => files.has(c));
    return found ? [found] : [];
  });
}

const graph = new Map([...files].map((f) => [f, importsOf(f)]));

const upward = [...graph].flatMap(([from, tos]) =>
  tos.filter((to) => !ALLOWED[layerOf(from)].includes(layerOf(to))).map((to) => `${from} → ${to}`),
);

/** Tarjan's strongly connected components: every component of more than one file is a circle. */
function circles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w);
    }
    if (component.length > 1) out.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

const found = circles();
const edges = [...graph.values()].reduce((n, tos) => n + tos.length, 0);
console.log(`${graph.size} files, ${edges} imports (${relative(process.cwd(), ROOT) || '.'})`);
console.log(`circles: ${found.length}`);
for (const c of found) console.log(`  ${c.join(' ⇄ ')}`);
console.log(`imports against the layers: ${upward.length}`);
for (const u of upward) console.log(`  ${u}`);
process.exitCode = found.length + upward.length > 0 ? 1 : 0;
