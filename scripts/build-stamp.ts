/**
 * Whether a build is still fresh: a content hash of its inputs, compared with the one stamped
 * beside the output by the last successful build. Contents, not modification times: a fresh clone
 * or a `git checkout` touches every file without changing what gets built.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The input's files (a directory's, recursively), relative to the root; none if it does not exist. */
function files(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** SHA-256 over each input file's path and bytes, in a fixed order. */
export function inputsHash(root: string, inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((p) => files(root, p)).sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export interface Stamp {
  /** The JSON file the last successful build wrote. */
  file: string;
  /** A file the build produces: gone means the output was removed since. */
  output: string;
}

/** Fresh when the stamp names these very inputs and the output is still there. */
export function isFresh(stamp: Stamp, inputs: string): boolean {
  if (!existsSync(stamp.output)) return false;
  try {
    return (JSON.parse(readFileSync(stamp.file, 'utf8')) as { inputs?: unknown }).inputs === inputs;
  } catch {
    return false;
  }
}

export function writeStamp(stamp: Stamp, inputs: string): void {
  writeFileSync(stamp.file, `${JSON.stringify({ inputs, builtAt: new Date().toISOString() })}\n`);
}
