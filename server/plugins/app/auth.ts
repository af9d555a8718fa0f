import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Errors } from '../../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: the request must carry a device/API token (`Authorization: Bearer …`). */
    requireIngestToken: (request: FastifyRequest) => Promise<void>;
    /** Constant-time check of a device/API token (HTTP header or socket handshake). */
    isIngestToken: (given: unknown) => boolean;
  }
}

/** Tokens from INGEST_TOKENS, or one generated on first start and kept (0600) in DATA_DIR. */
function loadTokens(configured: string, dataDir: string): string[] {
  const fromEnv = configured
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (fromEnv.length > 0) return fromEnv;
  const file = `${dataDir}/ingest-token`;
  if (existsSync(file)) return [readFileSync(file, 'utf8').trim()];
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, token, { mode: 0o600 });
  return [token];
}

const matches = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export function bearer(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

export default fp(
  async (app) => {
    const tokens = loadTokens(app.config.INGEST_TOKENS, app.config.DATA_DIR);
    const isIngestToken = (given: unknown) => typeof given === 'string' && tokens.some((t) => matches(given, t));
    app.decorate('isIngestToken', isIngestToken);
    app.decorate('requireIngestToken', async (request: FastifyRequest) => {
      if (!isIngestToken(bearer(request.headers.authorization))) throw new Errors.UNAUTHENTICATED();
    });
    app.log.info(
      { file: app.config.INGEST_TOKENS ? 'INGEST_TOKENS' : `${app.config.DATA_DIR}/ingest-token` },
      'ingest token source',
    );
  },
  { name: 'auth', dependencies: ['config'] },
);
