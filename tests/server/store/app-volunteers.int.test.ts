/**
 * A volunteer registered through the phone app (`VR…`) is among a station's candidates however many
 * volunteers the registry holds there: the candidates read at most 60 a station, and by id alone a
 * county of 1,150 volunteers a station never reached the `VR` ids, so nobody with the app could be
 * offered an order (派给志愿者).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertVolunteers } from '../../../server/store/network-repository.js';
import { migrate } from '../../../server/store/migrate.js';
import { volunteersAt } from '../../../server/store/orders-repository.js';
import type { Transport } from '../../../server/store/transport.js';
import { openTestStore } from '../../helpers/test-store.js';

let store: Transport;
const person = (id: string) => ({
  id,
  name: '王小梅',
  phone: '13900000000',
  teamId: 'I01:S001:T01',
  instituteId: 'I01',
  stationId: 'S001',
  skills: ['elderly'],
  registeredAt: 1_790_000_000,
});

beforeAll(async () => {
  store = await openTestStore(mkdtempSync(join(tmpdir(), 'wmsj-app-volunteers-')));
  await migrate(store);
  const seeded = Array.from({ length: 100 }, (_, i) => person(`V${String(i + 1).padStart(6, '0')}`));
  await insertVolunteers(store, [...seeded, person('VR000001')]);
});
afterAll(async () => {
  await store.close();
});

it('reads a station’s app volunteers first, then the others up to the limit', async () => {
  const candidates = await volunteersAt(store, ['S001'], 60);
  expect(candidates).toHaveLength(60);
  expect(candidates[0]?.id).toBe('VR000001');
});
