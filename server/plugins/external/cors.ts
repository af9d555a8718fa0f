/**
 * CORS allow-list (CORS_ORIGINS) for HTTP and Socket.IO. Empty means same-origin only: the wall is
 * served by this server, so no other origin needs the API. An allowed origin gets the CORS headers
 * (credentials included); any other gets none, and its Socket.IO handshakes are refused outright —
 * WebSocket is not covered by CORS at all, so the Origin check in `allowRequest` is what keeps a
 * foreign page from opening a socket with a screen's cookie.
 */
import cors from '@fastify/cors';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'socket.io';
import type { Config } from '../../config.js';

/** The origins CORS_ORIGINS lists (`https://a.example,http://localhost:5173`). */
export function allowedOrigins(config: Pick<Config, 'CORS_ORIGINS'>): ReadonlySet<string> {
  return new Set(
    config.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter((o) => o.length > 0)
      .map((o) => new URL(o).origin),
  );
}

/**
 * Whether a request from `origin` may proceed: no Origin (a device, a script, a same-origin GET),
 * the server's own origin (same host as the request's Host), or a listed one.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: ReadonlySet<string>) {
  if (!origin) return true;
  if (allowed.has(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false; // `null` (a sandboxed frame, a file://) or junk
  }
}

/** Socket.IO's share of the policy: CORS headers for listed origins, handshakes refused for others. */
export function socketCors(config: Pick<Config, 'CORS_ORIGINS'>): Pick<ServerOptions, 'cors' | 'allowRequest'> {
  const allowed = allowedOrigins(config);
  return {
    cors: { origin: [...allowed], credentials: true },
    allowRequest: (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
      const ok = originAllowed(req.headers.origin, req.headers.host, allowed);
      callback(ok ? null : 'origin not allowed', ok);
    },
  };
}

export default fp(
  async (app) => {
    const allowed = allowedOrigins(app.config);
    await app.register(cors, {
      // Headers only for a listed origin; same-origin pages need none.
      origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
      credentials: true,
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['content-type', 'authorization'],
      maxAge: 600,
    });
  },
  { name: 'cors', dependencies: ['config'] },
);
