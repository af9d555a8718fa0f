/**
 * The evaluation weights file's check (shared/evaluation.ts EvaluationConfigSchema): pure, so the
 * configuration checks the file at start and the store reads it with the same rule. Apart from
 * shared/evaluation.ts because the compiled checker is server-only (the wall never loads it).
 */
import { Compile } from 'typebox/compile';
import { EvaluationConfigSchema, type EvaluationConfig } from './evaluation.js';

const validator = Compile(EvaluationConfigSchema);

/** The parsed file as an EvaluationConfig; throws with every problem named by `source` and path. */
export function checkEvaluationConfig(raw: unknown, source: string): EvaluationConfig {
  if (validator.Check(raw)) return raw;
  const problems = [...validator.Errors(raw)].map((e) => `${source}${e.instancePath || '/'}: ${e.message}`);
  throw new Error(`invalid evaluation config:\n  ${problems.join('\n  ')}`);
}
