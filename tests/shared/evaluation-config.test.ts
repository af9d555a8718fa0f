/** The evaluation weights file: checked at start, every problem named, the start refused on one. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadEvaluationConfig } from '../../server/config.js';
import { DEFAULT_EVALUATION } from '../../shared/evaluation.js';

const dir = mkdtempSync(join(tmpdir(), 'wmsj-evaluation-'));
function file(name: string, body: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
}
const good = { weights: { ...DEFAULT_EVALUATION.weights, mediaReads: 40 } };

describe('evaluation config', () => {
  it('reads a valid file and uses the defaults without one', () => {
    expect(loadEvaluationConfig(file('good.json', good))).toEqual(good);
    expect(loadEvaluationConfig('')).toBe(DEFAULT_EVALUATION);
  });

  it('names every bad weight with its path', () => {
    const path = file('bad.json', { weights: { ...good.weights, activities: -1, serviceHours: 'a lot' } });
    let message = '';
    try {
      loadEvaluationConfig(path);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${path}/weights/activities`);
    expect(message).toContain(`${path}/weights/serviceHours`);
  });

  it('stops the start on a bad file, naming EVALUATION_FILE', () => {
    const path = file('missing-weight.json', { weights: { activities: 1 } });
    expect(() => loadConfig({ EVALUATION_FILE: path })).toThrow(ConfigError);
    expect(() => loadConfig({ EVALUATION_FILE: path })).toThrow(/EVALUATION_FILE=/);
    expect(loadConfig({ EVALUATION_FILE: file('ok.json', good) }).EVALUATION_FILE).toContain('ok.json');
  });
});
