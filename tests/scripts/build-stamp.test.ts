import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputsHash, isFresh, writeStamp } from '../../scripts/build-stamp.js';

/** A tiny project: sources in src/ (nested), a config file, a built output and its stamp. */
function project() {
  const root = mkdtempSync(join(tmpdir(), 'stamp-'));
  mkdirSync(join(root, 'src/pages'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'src/main.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'src/pages/wall.vue'), '<template>墙</template>\n');
  writeFileSync(join(root, 'vite.config.ts'), 'export default {};\n');
  writeFileSync(join(root, 'dist/index.html'), '<html></html>\n');
  const inputs = ['src', 'vite.config.ts', 'absent.json'];
  const stamp = { file: join(root, 'dist/stamp.json'), output: join(root, 'dist/index.html') };
  const hash = () => inputsHash(root, inputs);
  writeStamp(stamp, hash());
  return { root, stamp, hash };
}

describe('build stamp', () => {
  it('is fresh right after a build, and stays so when files are only touched', () => {
    const { root, stamp, hash } = project();
    expect(isFresh(stamp, hash())).toBe(true);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src/main.ts'), later, later);
    expect(isFresh(stamp, hash())).toBe(true);
  });

  it('is stale when a nested source, a config file or the set of files changes', () => {
    const edits: ((root: string) => void)[] = [
      (root) => writeFileSync(join(root, 'src/pages/wall.vue'), '<template>屏</template>\n'),
      (root) => writeFileSync(join(root, 'vite.config.ts'), 'export default { base: "/" };\n'),
      (root) => writeFileSync(join(root, 'src/pages/new.ts'), ''),
      (root) => rmSync(join(root, 'src/main.ts')),
      (root) => writeFileSync(join(root, 'absent.json'), '{}'),
    ];
    for (const edit of edits) {
      const { root, stamp, hash } = project();
      edit(root);
      expect(isFresh(stamp, hash())).toBe(false);
    }
  });

  it('is stale without a stamp, with a broken one, or when the output is gone', () => {
    const a = project();
    rmSync(a.stamp.file);
    expect(isFresh(a.stamp, a.hash())).toBe(false);
    const b = project();
    writeFileSync(b.stamp.file, 'not json');
    expect(isFresh(b.stamp, b.hash())).toBe(false);
    const c = project();
    rmSync(c.stamp.output);
    expect(isFresh(c.stamp, c.hash())).toBe(false);
  });

  it('tells a file moved between directories from the same bytes in place', () => {
    const { root, hash } = project();
    const before = hash();
    rmSync(join(root, 'src/pages/wall.vue'));
    writeFileSync(join(root, 'src/wall.vue'), '<template>墙</template>\n');
    expect(hash()).not.toBe(before);
  });
});
