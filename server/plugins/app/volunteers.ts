import fp from 'fastify-plugin';
import { VolunteerAccounts } from '../../volunteers/accounts.js';
import { VolunteerLogin } from '../../volunteers/login.js';
import { LogSmsProvider, SmsCodes, type SmsProvider } from '../../volunteers/sms.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Volunteers' phone accounts (志愿者招募) and their login by password or SMS code. */
    volunteers: { accounts: VolunteerAccounts; login: VolunteerLogin };
  }
}

/** Loads the volunteers' accounts from the store and lets their sessions resolve to principals. */
export default fp(
  async (app) => {
    const accounts = await VolunteerAccounts.open(app.store);
    // SMS_PROVIDER has one value today; a gateway's provider is chosen here when one is added.
    const sms: SmsProvider = new LogSmsProvider(app.log.child({ module: 'sms' }));
    const login = new VolunteerLogin(app.auth, accounts, new SmsCodes(), sms);
    app.decorate('volunteers', { accounts, login });
    app.log.info({ accounts: accounts.list(null).length, sms: sms.name }, 'volunteer accounts ready');
  },
  { name: 'volunteers', dependencies: ['clickhouse', 'auth', 'network'] },
);
