/**
 * `npx tsx scripts/profile-top.ts <file.cpuprofile> [n]`: the functions a V8 CPU profile spent its
 * time in, by self time and by total time (self plus what they called), the top n of each (default
 * 25), with the share of the profile's samples. What `BENCH_PROFILE=<dir> npm run bench -- …` writes.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const [file, top = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [n]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^.*\/(node_modules\/)?/, '');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
};
const self = new Map<string, number>();
const total = new Map<string, number>();
for (const id of profile.samples) {
  const node = byId.get(id);
  if (!node) continue;
  self.set(name(node), (self.get(name(node)) ?? 0) + 1);
  // Each function once per sample, however deep it recurses.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const n = byId.get(at);
    if (n) seen.add(name(n));
  }
  for (const s of seen) total.set(s, (total.get(s) ?? 0) + 1);
}
const samples = profile.samples.length;
const ms = (profile.endTime - profile.startTime) / 1000;
const print = (title: string, counts: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [fn, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, Number(top)))
    process.stdout.write(`${((n / samples) * 100).toFixed(1).padStart(5)} %  ${fn}\n`);
};
process.stdout.write(`${file}: ${samples} samples over ${(ms / 1000).toFixed(1)} s\n`);
print('self', self);
print('total', total);

/**
 * The longest stretches without an idle sample: the event loop's stalls, each with its length and
 * the functions (by total time) it was in — what to chunk or move off the loop.
 */
const stretches: { ms: number; ids: number[] }[] = [];
let run: { ms: number; ids: number[] } | null = null;
for (const [i, id] of profile.samples.entries()) {
  const node = byId.get(id);
  const dt = (profile.timeDeltas[i] ?? 0) / 1000;
  if (!node || node.callFrame.functionName === '(idle)') {
    if (run) stretches.push(run);
    run = null;
    continue;
  }
  run ??= { ms: 0, ids: [] };
  run.ms += dt;
  run.ids.push(id);
}
if (run) stretches.push(run);
process.stdout.write('\nlongest stretches without idle (ms: what they were in, by share of the stretch)\n');
for (const r of stretches.sort((a, b) => b.ms - a.ms).slice(0, 8)) {
  const inStretch = new Map<string, number>();
  for (const id of r.ids) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (n && n.callFrame.url !== '' && !n.callFrame.url.startsWith('node:')) seen.add(name(n));
      else if (n && n.callFrame.functionName.startsWith('(')) seen.add(n.callFrame.functionName);
    }
    for (const f of seen) inStretch.set(f, (inStretch.get(f) ?? 0) + 1);
  }
  const top = [...inStretch]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([f, n]) => `${Math.round((n / r.ids.length) * 100)}% ${f}`)
    .join('; ');
  process.stdout.write(`${r.ms.toFixed(0).padStart(6)} ms: ${top}\n`);
}
