import cookie from '@fastify/cookie';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { PrincipalKind, type Principal, type Role } from '../../../shared/auth.js';
import { AuditLog } from '../../auth/audit.js';
import { AuthBus, AuthNewsKind } from '../../auth/bus.js';
import { bearer, sessionIdFrom } from '../../auth/credentials.js';
import { announceCreatedAccounts } from '../../auth/first-start.js';
import { randomSecret, readOrCreate } from '../../auth/files.js';
import { Lockout } from '../../auth/lockout.js';
import { RedisLockout } from '../../auth/lockout-redis.js';
import { admit, AuthService } from '../../auth/service.js';
import { FileSessionLog, SESSION_LOG } from '../../auth/session-log.js';
import { RedisSessionBackend, sharedSessionSecret } from '../../auth/session-redis.js';
import { SessionStore } from '../../auth/sessions.js';
import { SocketGuard } from '../../auth/socket-guard.js';
import { configuredDeviceTokens, TokenStore } from '../../auth/tokens.js';
import { UserStore } from '../../auth/user-store.js';
import { readUsers, seedUsers } from '../../auth/users.js';
import { RedisTokenStore } from '../../auth/token-redis.js';
import { RedisUserStore } from '../../auth/user-redis.js';
import { Errors } from '../../errors.js';

/** Who may call a route: anyone, or one of these roles. */
export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService;
    /** Several nodes (REDIS_URL): the news of ended credentials and changed accounts (auth/bus.ts); null on one node. */
    authBus: AuthBus | null;
    /** Socket.IO namespace middleware (`socketGuard.middleware(roles)`) and recovery gate. */
    socketGuard: SocketGuard;
    sessionCookie: CookieSerializeOptions;
  }
  interface FastifyRequest {
    /** Who is calling; null when anonymous (and no public display). */
    principal: Principal | null;
    /** The session behind the cookie, for logout. */
    sessionId: string | null;
  }
  interface FastifyContextConfig {
    /** Every route under /api and /metrics declares it; the app refuses to start otherwise. */
    access?: Access;
  }
}

/** The caller of a route whose access check has passed (so there is one). */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new Errors.UNAUTHENTICATED();
  return request.principal;
}

/** Roles and login: users, tokens, sessions, and the check every route and socket namespace goes through. */
export default fp(
  async (app) => {
    const { DATA_DIR: dataDir, USERS_FILE } = app.config;
    const institutes = new Set(app.network.nodes.filter((n) => n.level === 'institute').map((n) => n.id));
    const usersFile = USERS_FILE || `${dataDir}/users.json`;
    const created = USERS_FILE
      ? []
      : await seedUsers(usersFile, {
          adminPassword: app.config.ADMIN_PASSWORD,
          demo: app.config.DEMO_USERS,
          firstInstitute: [...institutes].sort()[0],
        });
    // Several nodes (REDIS_URL) share sessions through Redis and hear each other's ends on its bus.
    const { redis } = app;
    const bus = redis && (await AuthBus.open(redis, app.nodeId, (message) => app.log.warn(message)));
    const sessionLog = bus ? new RedisSessionBackend(bus.redis, bus) : new FileSessionLog(`${dataDir}/${SESSION_LOG}`);
    const sessions = new SessionStore(app.config.SESSION_TTL_HOURS * 3_600_000, sessionLog);
    if (sessionLog instanceof FileSessionLog && sessionLog.skipped > 0)
      app.log.warn({ skipped: sessionLog.skipped }, 'unreadable session log lines skipped');
    app.addHook('onClose', async () => {
      sessions.close();
      await bus?.close();
    });
    // Several nodes keep accounts and saved tokens in Redis too; the users file is then only the seed,
    // imported by the first node (user-redis.ts), and the configuration's device tokens stay each node's.
    const deviceTokens = configuredDeviceTokens(app.config.INGEST_TOKENS, dataDir);
    const shared = bus && (await RedisUserStore.open(bus.redis, bus, app.nodeId, readUsers(usersFile, institutes)));
    // A first start's generated passwords hold only where this node's file became the accounts.
    if (!shared || shared.imported) {
      announceCreatedAccounts(app.log, created, {
        file: `${dataDir}/initial-passwords`,
        usersFile,
        terminal: process.stderr.isTTY,
        write: (text) => process.stderr.write(text),
      });
    } else if (created.length > 0) {
      app.log.info({ users: usersFile }, 'auth: accounts are in Redis already; this node’s new users file is not used');
    }
    // One trail for every node in ClickHouse (the admin's read), journaled here first (auth/audit.ts).
    const audit = new AuditLog(`${dataDir}/audit.jsonl`, {
      store: app.store,
      dir: dataDir,
      node: app.nodeId,
      log: app.log.child({ module: 'audit' }),
    });
    await audit.start();
    const auth = new AuthService({
      users: shared ? shared.store : UserStore.open(usersFile, institutes),
      tokens: bus
        ? new RedisTokenStore(bus.redis, bus, deviceTokens)
        : TokenStore.open(`${dataDir}/tokens.json`, deviceTokens),
      sessions,
      // Guesses spread over nodes count as on one (lockout-redis.ts).
      lockout: bus ? new RedisLockout(bus.redis) : new Lockout(),
      audit,
      publicDisplay: app.config.PUBLIC_DISPLAY,
      shared: bus !== null,
    });
    bus?.onNews((kind, ids) => {
      if (kind === AuthNewsKind.session) sessions.forget(ids);
    });
    bus?.onResync(() => {
      sessions.revalidate().catch((error: unknown) => app.log.warn({ err: error }, 'auth: sessions not re-read'));
    });
    const secret =
      app.config.SESSION_SECRET ||
      (redis
        ? await sharedSessionSecret(redis, randomSecret)
        : readOrCreate(`${dataDir}/session-secret`, randomSecret).value);
    await app.register(cookie, { secret, hook: 'onRequest' });

    app.decorate('auth', auth);
    app.decorate('authBus', bus);
    app.decorate('sessionCookie', {
      signed: true,
      httpOnly: true,
      sameSite: 'strict',
      // 'auto': Secure whenever this request came over TLS (request.protocol, as helmet.ts decides).
      secure: app.config.COOKIE_SECURE ? true : 'auto',
      path: '/',
      maxAge: Math.ceil(app.config.SESSION_TTL_HOURS * 3600),
    } satisfies CookieSerializeOptions);
    app.decorateRequest('principal', null);
    app.decorateRequest('sessionId', null);

    // Fail at start, not in production: a new API route without a declared access is a bug.
    app.addHook('onRoute', (route) => {
      const guarded = route.url.startsWith('/api/') || route.url === '/metrics';
      if (guarded && route.config?.access === undefined) {
        throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
      }
    });

    app.addHook('onRequest', async (request: FastifyRequest) => {
      const sessionId = sessionIdFrom(request.cookies, (v) => request.unsignCookie(v));
      const credentials = { token: bearer(request.headers.authorization), sessionId };
      if (auth.shared) await auth.prepare(credentials);
      const caller = auth.resolve(credentials);
      if (caller !== null && caller !== 'invalid') {
        request.principal = caller.principal;
        request.sessionId = caller.principal.kind === PrincipalKind.user ? sessionId : null;
      }
      const access = request.routeOptions.config.access;
      if (access === undefined || access === 'public') return;
      const admitted = admit(caller, access);
      if (admitted === 'unauthenticated') throw new Errors.UNAUTHENTICATED();
      if (admitted === 'forbidden') {
        throw new Errors.FORBIDDEN(`${request.method} ${request.routeOptions.url ?? request.url}`);
      }
    });

    app.decorate(
      'socketGuard',
      new SocketGuard(
        auth,
        (header) => app.parseCookie(header),
        (value) => app.unsignCookie(value),
      ),
    );

    app.log.info(
      {
        users: shared ? 'redis' : usersFile,
        tokens: bus ? 'redis' : `${dataDir}/tokens.json`,
        sessions: sessions.size,
        publicDisplay: app.config.PUBLIC_DISPLAY,
      },
      'auth ready',
    );
  },
  { name: 'auth', dependencies: ['config', 'clickhouse', 'network', 'redis'] },
);
