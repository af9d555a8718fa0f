/**
 * A loopback TCP proxy that injects network faults between two real processes (the app and its
 * ClickHouse, or a wall and the app), switchable while connections are open:
 * - `pass`: relays bytes as they come;
 * - `reset`: every open and every new connection is reset (RST), as a crashed peer or a firewall
 *   rejecting the port;
 * - `delay`: every chunk, each way, is held `ms` before it is relayed (order kept), as a slow link
 *   or a server stalling under load;
 * - `blackhole`: connections are accepted and bytes are swallowed, nothing comes back, as a
 *   partition that drops packets. Leaving it resets the connections it held, as the stateful
 *   firewall that dropped their packets would; their clients see a reset then, not a late answer.
 */
import { createServer, connect, type Socket } from 'node:net';

export type FaultMode = { kind: 'pass' } | { kind: 'reset' } | { kind: 'delay'; ms: number } | { kind: 'blackhole' };

export interface FaultProxy {
  port: number;
  mode(): FaultMode;
  set(mode: FaultMode): void;
  /** Connections accepted and connections reset so far. */
  stats: { connections: number; resets: number };
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | null;
  /** Swallowed by a blackhole: never relays again. */
  held: boolean;
}

export async function startFaultProxy(target: { host?: string; port: number }, listenPort = 0): Promise<FaultProxy> {
  let mode: FaultMode = { kind: 'pass' };
  const pairs = new Set<Pair>();
  const stats = { connections: 0, resets: 0 };

  const reset = (pair: Pair) => {
    pairs.delete(pair);
    stats.resets += 1;
    pair.client.resetAndDestroy();
    pair.upstream?.resetAndDestroy();
  };

  /** Relays `from` → `to`, each chunk after the delay in force when it arrived, in order. */
  const relay = (pair: Pair, from: Socket, to: () => Socket | null) => {
    let chain = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      if (pair.held) return;
      const delay = mode.kind === 'delay' ? mode.ms : 0;
      const due = Date.now() + delay;
      chain = chain.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const dst = to();
        if (!pair.held && dst && !dst.destroyed) dst.write(chunk);
      });
    });
  };

  const server = createServer((client) => {
    stats.connections += 1;
    const pair: Pair = { client, upstream: null, held: false };
    client.on('error', () => undefined);
    if (mode.kind === 'reset') {
      stats.resets += 1;
      client.resetAndDestroy();
      return;
    }
    pairs.add(pair);
    client.on('close', () => {
      pairs.delete(pair);
      pair.upstream?.destroy();
    });
    if (mode.kind === 'blackhole') {
      pair.held = true;
      client.resume(); // read and drop
      return;
    }
    const upstream = connect({ host: target.host ?? '127.0.0.1', port: target.port });
    pair.upstream = upstream;
    upstream.on('error', () => client.resetAndDestroy());
    upstream.on('close', () => {
      // A clean end upstream ends the client's side once the delayed bytes have gone.
      if (!pair.held) setTimeout(() => client.end(), mode.kind === 'delay' ? mode.ms : 0);
    });
    relay(pair, client, () => upstream);
    relay(pair, upstream, () => client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    stats,
    mode: () => mode,
    set(next) {
      const leavingBlackhole = mode.kind === 'blackhole' && next.kind !== 'blackhole';
      mode = next;
      for (const pair of [...pairs]) {
        if (next.kind === 'reset' || (leavingBlackhole && pair.held)) reset(pair);
        else if (next.kind === 'blackhole') pair.held = true;
      }
    },
    async close() {
      for (const pair of [...pairs]) reset(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
