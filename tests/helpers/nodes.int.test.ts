import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './app.js';
import { startNodes, type TestNodes } from './nodes.js';

describe('two nodes in one test process (tests/helpers/nodes.ts)', () => {
  let cluster: TestNodes;
  beforeAll(async () => {
    cluster = await startNodes(2);
  });
  afterAll(async () => {
    await cluster.close();
  });

  it('share one store: the network the first node seeded is the second’s', async () => {
    const [a, b] = cluster.nodes as [TestApp, TestApp];
    const read = async (node: TestApp) => {
      const cookie = await node.login();
      const response = await node.fetch('/api/network', { headers: { cookie } });
      expect(response.status).toBe(200);
      return response.text();
    };
    expect(await read(b)).toBe(await read(a));
    expect(a.app.nodeId).toBe('node-1');
    expect(b.app.nodeId).toBe('node-2');
  });
});
