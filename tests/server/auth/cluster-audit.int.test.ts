/**
 * Issue 18 on two nodes (tests/helpers/nodes.ts: two apps, one real Redis, one ClickHouse server
 * process): the auth audit is one trail — a failed login at A and a token revoked at B are read at
 * either node, each once; and what Redis out of reach means for the pieces that call it besides
 * logins and dispatch commands: an admin's emergency switch is refused 503 SHARED_UNAVAILABLE with
 * every wall's mode unchanged, an offer is refused as a dispatch command is, and asking for an SMS
 * code answers the same for a registered and an unregistered phone (an attacker learns nothing from
 * an outage). Each is the stated refusal, not the store error ioredis's retries would end in, and
 * each works again once Redis is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../../shared/audit.js';
import type { EmergencyState } from '../../../shared/emergency.js';
import type { TestApp } from '../../helpers/app.js';
import { startNodes, type TestNodes } from '../../helpers/nodes.js';
import { eventually } from '../../helpers/server.js';
import { offerOrder, orderAtStation, readyVolunteer, testPhone } from '../../helpers/volunteer.js';

/** No SLA timer moving the order under the test. */
const ENV = { DISPATCH_AUTO_ESCALATE: '0' };

let cluster: TestNodes;
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  cluster = await startNodes(2, { env: ENV });
  [a, b] = cluster.nodes as [TestApp, TestApp];
}, 180_000);
afterAll(async () => {
  await cluster.close();
});

const json = { 'content-type': 'application/json' };
const auditAt = async (node: TestApp, cookie: string, query: string): Promise<AuditPage> => {
  const response = await node.fetch(`/api/v1/audit?${query}`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return (await response.json()) as AuditPage;
};
const answerOf = async (response: Response) => ({ status: response.status, body: await response.text() });
const emergencyAt = async (node: TestApp, cookie: string, body: object) =>
  node.fetch('/api/v1/emergency', { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify(body) });
/** The mode a node's walls are shown (what it sends a wall that connects). */
const modeOf = (node: TestApp): EmergencyState => node.app.emergency.state;
/**
 * Redis stopped, and both nodes' clients have seen their connection close: the case of an answer at
 * once. (A command sent in the moment before, on a connection that is gone, waits for reach()'s
 * deadline instead, as in a partition.)
 */
async function stopRedis(): Promise<void> {
  await cluster.redis.kill();
  await eventually(() => ([a, b].every((n) => n.app.redis?.status !== 'ready') ? true : undefined));
}
const askCode = (node: TestApp, phone: string) =>
  node.fetch('/api/v1/field/sms', { method: 'POST', headers: json, body: JSON.stringify({ phone }) });

describe('the auth audit on two nodes', () => {
  it('a failed login at A and a token revoked at B are read at either node, each once', async () => {
    const wrong = await a.fetch('/api/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'audit-nobody', password: 'not the password' }),
    });
    expect(wrong.status).toBe(401);
    const adminB = await b.login();
    const created = await b.fetch('/api/auth/tokens', {
      method: 'POST',
      headers: { ...json, cookie: adminB },
      body: JSON.stringify({ role: 'wall', label: '审计大屏' }),
    });
    const { info } = (await created.json()) as { info: { id: string } };
    expect(
      (await b.fetch(`/api/auth/tokens/${info.id}`, { method: 'DELETE', headers: { cookie: adminB } })).status,
    ).toBe(200);
    const adminA = await a.login();
    for (const [node, cookie] of [
      [a, adminA],
      [b, adminB],
    ] as const) {
      // The other node's acts reach ClickHouse on its next block (a second at most): read until they are there.
      const failed = await eventually(async () => {
        const page = await auditAt(node, cookie, 'action=auth.login_failed&actor=audit-nobody');
        return page.entries.length > 0 ? page : undefined;
      });
      expect(failed.entries).toHaveLength(1);
      expect(failed.entries[0]).toMatchObject({ actor: 'audit-nobody', result: 'refused' });
      const revoked = await eventually(async () => {
        const page = await auditAt(node, cookie, 'action=token.revoked');
        const ours = page.entries.filter((e) => e.subject === info.id);
        return ours.length > 0 ? ours : undefined;
      });
      expect(revoked).toHaveLength(1);
      expect(revoked[0]).toMatchObject({ result: 'ok' });
    }
  });
});

describe('Redis out of reach', () => {
  it('an emergency switch is refused 503 SHARED_UNAVAILABLE at once, every node keeps its mode; it switches both once Redis is back', async () => {
    const admin = await a.login();
    expect([modeOf(a).active, modeOf(b).active]).toEqual([false, false]);
    await stopRedis();
    try {
      const answer = await answerOf(await emergencyAt(a, admin, { active: true, message: '防汛应急' }));
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'SHARED_UNAVAILABLE' });
      // No half-switch: the walls of both nodes keep the everyday mode.
      expect([modeOf(a).active, modeOf(b).active]).toEqual([false, false]);
    } finally {
      await cluster.restartRedis();
    }
    expect((await emergencyAt(a, admin, { active: true, message: '防汛应急' })).status).toBe(200);
    await eventually(() => (modeOf(b).active ? true : undefined));
    expect((await emergencyAt(b, await b.login(), { active: false })).status).toBe(200);
    const audit = await auditAt(a, admin, 'action=emergency.on');
    expect(audit.entries.map((e) => e.result).sort()).toEqual(['ok', 'refused']);
  });

  it('an offer is refused 503 SHARED_UNAVAILABLE at once, and made once Redis is back', async () => {
    const admin = await a.login();
    const volunteer = await readyVolunteer(a, admin, { instituteId: 'I01' });
    const order = await orderAtStation(a, { cookie: admin }, volunteer.stationId);
    await stopRedis();
    try {
      const answer = await offerOrder(a, admin, order.id, volunteer.id);
      expect(answer).toMatchObject({ status: 503, body: { code: 'SHARED_UNAVAILABLE' } });
    } finally {
      await cluster.restartRedis();
    }
    expect(await offerOrder(a, admin, order.id, volunteer.id)).toMatchObject({ status: 201, body: { status: 'open' } });
  });

  it('an SMS code asked for a registered and an unregistered phone gets the same answer, Redis away or up', async () => {
    const admin = await a.login();
    const registered = await readyVolunteer(a, admin, { instituteId: 'I01' });
    const stranger = testPhone();
    await stopRedis();
    try {
      const known = await answerOf(await askCode(b, registered.phone));
      const unknown = await answerOf(await askCode(b, stranger));
      expect(unknown).toEqual(known);
      expect(known.status).toBe(503);
    } finally {
      await cluster.restartRedis();
    }
    // Five asks a minute from one address (the route's limit): one each once B is connected again.
    const known = await answerOf(await askCode(b, registered.phone));
    const unknown = await answerOf(await askCode(b, stranger));
    expect(unknown).toEqual(known);
    expect(known).toEqual({ status: 204, body: '' });
  });
});
