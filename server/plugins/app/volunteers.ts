import fp from 'fastify-plugin';
import { VolunteerAccounts } from '../../volunteers/accounts.js';
import { VolunteerLogin } from '../../volunteers/login.js';
import { sharedAccounts } from '../../volunteers/shared.js';
import { LogSmsProvider, SmsCodes, type SmsProvider } from '../../volunteers/sms.js';
import { RedisSmsCodes } from '../../volunteers/sms-redis.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Volunteers' phone accounts (志愿者招募) and their login by password or SMS code. */
    volunteers: { accounts: VolunteerAccounts; login: VolunteerLogin };
  }
}

/** Loads the volunteers' accounts from the store and lets their sessions resolve to principals. */
export default fp(
  async (app) => {
    // Several nodes: the store stays the accounts' truth, changes announced on the auth bus.
    const bus = app.authBus;
    const shared =
      bus &&
      sharedAccounts(bus.redis, bus, (error) =>
        app.log.warn({ err: error }, 'volunteers: accounts news not passed on'),
      );
    const accounts = await VolunteerAccounts.open(app.store, Date.now, shared);
    // SMS_PROVIDER has one value today; a gateway's provider is chosen here when one is added.
    const sms: SmsProvider = new LogSmsProvider(app.log.child({ module: 'sms' }));
    // A code asked for at one node may be typed in at another (sms-redis.ts).
    const codes = bus ? new RedisSmsCodes(bus.redis) : new SmsCodes();
    const login = new VolunteerLogin(app.auth, accounts, codes, sms);
    app.decorate('volunteers', { accounts, login });
    app.log.info({ accounts: accounts.list(null).length, sms: sms.name }, 'volunteer accounts ready');
  },
  { name: 'volunteers', dependencies: ['clickhouse', 'auth', 'network'] },
);
