/**
 * `npm start`'s first step: builds the wall only when what it is built from changed since the last
 * build (scripts/build-stamp.ts). `--force` builds regardless.
 *
 * A script rather than a build runner: Vite has no "skip when fresh" mode, and the runners that
 * cache by input hash (wireit, turbo, nx) take over every npm script, keep a cache directory of
 * their own and stand between systemd's signals and the server, for a check this small.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputsHash, isFresh, writeStamp } from './build-stamp.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** What the wall's bundle is made of: its sources, the contract it imports, the toolchain's settings and versions. */
const INPUTS = ['client', 'shared', 'vite.config.ts', 'tsconfig.base.json', 'package.json', 'package-lock.json'];
const STAMP = { file: join(ROOT, 'dist/client-build.json'), output: join(ROOT, 'dist/client/index.html') };

// Hashed before building: a source edited during the build makes the next start build again.
const inputs = inputsHash(ROOT, INPUTS);
if (!process.argv.includes('--force') && isFresh(STAMP, inputs)) {
  process.stdout.write('wall is built from these sources already (dist/client): not rebuilding\n');
} else {
  // Vite is loaded only to build: importing it costs more than the whole check.
  const { build } = await import('vite');
  await build({ root: join(ROOT, 'client'), configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  writeStamp(STAMP, inputs);
}
