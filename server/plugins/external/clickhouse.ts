import fp from 'fastify-plugin';
import { openStore, type Transport } from '../../store/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: Transport;
  }
}

/** ClickHouse, opened and migrated before anything else starts; closed last. */
export default fp(
  async (app) => {
    const store = await openStore({
      dataDir: app.config.DATA_DIR,
      clickhouseUrl: app.config.CLICKHOUSE_URL,
      backupsDir: app.config.BACKUP_DIR,
    });
    app.decorate('store', store);
    app.addHook('onClose', async () => {
      await store.close();
    });
  },
  { name: 'clickhouse', dependencies: ['config'] },
);
