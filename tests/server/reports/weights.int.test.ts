/**
 * Evaluation weights on the real server (in-process app, real chdb, seeded history): a saved version
 * is the next number, kept beside the earlier ones (never changed), and scores the live evaluation
 * at once; a stale or not-adding-up save is refused; only admins save; every attempt is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../../shared/audit.js';
import { DEFAULT_EVALUATION, scoreUnits } from '../../../shared/evaluation.js';
import type { Weights, WeightsList, WeightsVersion } from '../../../shared/evaluation-weights.js';
import type { EvaluationResult } from '../../../shared/queries/evaluation.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { headersFor, type Credential } from '../../helpers/auth.js';

const PASSWORD = 'a test password for people';
const MEDIA_ONLY: Weights = {
  ...DEFAULT_EVALUATION.weights,
  activities: 0,
  participants: 0,
  serviceHours: 0,
  ordersCompleted: 0,
  appealsClosed: 0,
  mediaReads: 100,
};

let server: TestApp;
let admin: Credential;
let leader: Credential;

beforeAll(async () => {
  server = await startApp({ users: [{ username: 'leader', password: PASSWORD, role: 'leader' }] });
  admin = { cookie: await server.login() };
  leader = { cookie: await server.login('leader', PASSWORD) };
});
afterAll(() => server.close());

const save = (credential: Credential, body: unknown) =>
  server.fetch('/api/v1/evaluation/weights', {
    method: 'POST',
    headers: { ...headersFor(credential), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const list = async () =>
  (await (await server.fetch('/api/v1/evaluation/weights', { headers: headersFor(leader) })).json()) as WeightsList;

describe('evaluation weights', () => {
  it('starts at version 0, the configuration', async () => {
    const { current, versions } = await list();
    expect(current).toMatchObject({ version: 0, author: 'config', weights: DEFAULT_EVALUATION.weights });
    expect(versions).toHaveLength(1);
  });

  it('saves the next version, keeps the earlier ones, and the evaluation scores with it', async () => {
    const before = (await (
      await server.fetch('/api/v1/evaluation/figures?period=year&level=institute', { headers: headersFor(admin) })
    ).json()) as EvaluationResult;
    const saved = await save(admin, { weights: MEDIA_ONLY, basedOn: 0, note: '会议决定' });
    expect(saved.status).toBe(201);
    expect((await saved.json()) as WeightsVersion).toMatchObject({ version: 1, author: 'admin', weights: MEDIA_ONLY });
    const { current, versions } = await list();
    expect(current.version).toBe(1);
    expect(versions.map((v) => v.version)).toEqual([1, 0]);
    expect(versions[1]?.weights).toEqual(DEFAULT_EVALUATION.weights);
    // The same figures, ranked by reads alone now.
    const after = (await (
      await server.fetch('/api/v1/evaluation/figures?period=year&level=institute', { headers: headersFor(admin) })
    ).json()) as EvaluationResult;
    expect(after.weights).toEqual(MEDIA_ONLY);
    expect(after.rows.map((r) => [r.id, r.score])).toEqual(
      scoreUnits(before.rows, { weights: MEDIA_ONLY }).map((r) => [r.id, r.score]),
    );
  });

  it('refuses a save from a version no longer in force, and weights not adding up to 100', async () => {
    const stale = await save(admin, { weights: DEFAULT_EVALUATION.weights, basedOn: 0 });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { code: string }).code).toBe('WEIGHTS_STALE_VERSION');
    const bad = await save(admin, { weights: { ...MEDIA_ONLY, mediaReads: 90 }, basedOn: 1 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('WEIGHTS_INVALID');
    const negative = await save(admin, { weights: { ...MEDIA_ONLY, activities: -10, mediaReads: 110 }, basedOn: 1 });
    expect(negative.status).toBe(400);
    expect((await list()).current.version).toBe(1);
  });

  it('only an admin saves; walls and leaders are refused', async () => {
    expect((await save(leader, { weights: MEDIA_ONLY, basedOn: 1 })).status).toBe(403);
    expect((await save({ token: await server.wallToken() }, { weights: MEDIA_ONLY, basedOn: 1 })).status).toBe(403);
    const wallRead = await server.fetch('/api/v1/evaluation/weights', {
      headers: headersFor({ token: await server.wallToken() }),
    });
    expect(wallRead.status).toBe(403);
  });

  it('audits every save and every refused one', async () => {
    const audit = await server.fetch('/api/v1/audit?action=evaluation.weights&limit=100', {
      headers: headersFor(admin),
    });
    const { entries } = (await audit.json()) as AuditPage;
    expect(entries.map((e) => [e.result, e.subject]).sort()).toEqual(
      [
        ['ok', 'v1'],
        ['refused', 'from v0: WEIGHTS_STALE_VERSION'],
        ['refused', 'from v1: WEIGHTS_INVALID'],
      ].sort(),
    );
  });
});
