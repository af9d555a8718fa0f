import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../../helpers/app.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

describe('the Redis connection (REDIS_URL)', () => {
  let redis: TestRedis;
  let app: TestApp;
  beforeAll(async () => {
    redis = await startRedis();
    app = await startApp({ env: { REDIS_URL: redis.url, NODE_ID: 'node-a' } });
  });
  afterAll(async () => {
    await app.close();
    await redis.stop();
  });

  it('connects under this node’s name and never logs the URL', async () => {
    expect(app.app.nodeId).toBe('node-a');
    const probe = redis.client();
    const clients = await probe.client('LIST');
    await probe.quit();
    expect(String(clients)).toContain('name=wmsj:node-a');
    expect(app.logs.join('\n')).not.toContain(redis.url);
  });

  it('keeps what was written across a crash of Redis (append-only, as deployed)', async () => {
    const client = redis.client();
    await client.set('wmsj:test:kept', 'yes');
    await client.quit();
    await redis.restart();
    const after = redis.client();
    expect(await after.get('wmsj:test:kept')).toBe('yes');
    await after.quit();
  });
});

describe('without REDIS_URL', () => {
  it('holds no connection: one node keeps its state itself', async () => {
    const app = await startApp();
    try {
      expect(app.app.redis).toBeNull();
    } finally {
      await app.close();
    }
  });
});
