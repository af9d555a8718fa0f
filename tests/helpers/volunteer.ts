/**
 * A volunteer with a phone account, as the tests make one: registered over the public form,
 * approved by the admin (any town), and logged in by phone and password. Answers the session
 * cookie (`Credential` for helpers/auth.ts: `socketFor(url, FIELD_NAMESPACE, v.credential)`).
 */
import type { Principal } from '../../shared/auth.js';
import type { OrderView } from '../../shared/dispatch.js';
import type { FieldOptions, RegistrationBody } from '../../shared/volunteer.js';
import type { Credential } from './auth.js';
import { command, postCommand, requestOrder, toInstitute } from './dispatch.js';
import type { Http } from './server.js';

export const VOLUNTEER_PASSWORD = 'volunteer password 1';

export interface TestVolunteer {
  id: string;
  phone: string;
  password: string;
  instituteId: string;
  stationId: string;
  /** `wmsj_session=…`, for `Cookie:` headers. */
  cookie: string;
  credential: { cookie: string };
  principal: Principal;
}

let phones = 0;
/** A phone number no other test volunteer of this process has: 139 + pid + a counter. */
export function testPhone(): string {
  phones += 1;
  return `139${String((process.pid * 1000 + phones) % 100_000_000).padStart(8, '0')}`;
}

export async function fieldOptions(server: Http): Promise<FieldOptions> {
  const response = await server.fetch(`${server.url}/api/v1/field/options`);
  return (await response.json()) as FieldOptions;
}

async function post(server: Http, path: string, body: unknown, cookie = ''): Promise<Response> {
  return server.fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

/** Registers a volunteer (pending); answers its id. `overrides` change the form's fields. */
export async function registerVolunteer(
  server: Http,
  overrides: Partial<RegistrationBody> = {},
): Promise<{ id: string; body: RegistrationBody }> {
  const town = (await fieldOptions(server)).towns.find((t) => t.id === (overrides.instituteId ?? t.id));
  const station = town?.stations[0];
  if (!town || !station) throw new Error('the test network has no town with a station');
  const body: RegistrationBody = {
    name: '王小梅',
    phone: testPhone(),
    password: VOLUNTEER_PASSWORD,
    instituteId: town.id,
    stationId: station.id,
    skills: ['elderly'],
    availability: ['weekend_morning'],
    ...overrides,
  };
  const response = await post(server, '/api/v1/field/register', body);
  if (response.status !== 201) throw new Error(`registration answered ${response.status}: ${await response.text()}`);
  return { id: ((await response.json()) as { id: string }).id, body };
}

/** A dispatcher's (or admin's) decision on an account; answers the HTTP status. */
export async function decideVolunteer(
  server: Http,
  dispatcherCookie: string,
  id: string,
  action: 'approve' | 'reject' | 'disable' | 'enable',
  reason?: string,
): Promise<number> {
  const response = await post(
    server,
    `/api/v1/volunteer-accounts/${id}/${action}`,
    reason === undefined ? {} : { reason },
    dispatcherCookie,
  );
  return response.status;
}

/** Logs a volunteer in by phone and password; answers the session cookie and the principal. */
export async function loginVolunteer(
  server: Http,
  phone: string,
  password = VOLUNTEER_PASSWORD,
): Promise<{ cookie: string; principal: Principal }> {
  const response = await post(server, '/api/v1/field/login', { phone, password });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!response.ok || !cookie) throw new Error(`volunteer login answered ${response.status}: ${await response.text()}`);
  return { cookie, principal: (await response.json()) as Principal };
}

/**
 * Registers, approves (as `adminCookie`: the admin, or a dispatcher of the volunteer's town) and
 * logs in a volunteer: the one call a test of the phone app starts from.
 */
export async function readyVolunteer(
  server: Http,
  adminCookie: string,
  overrides: Partial<RegistrationBody> = {},
): Promise<TestVolunteer> {
  const { id, body } = await registerVolunteer(server, overrides);
  const status = await decideVolunteer(server, adminCookie, id, 'approve');
  if (status !== 200) throw new Error(`approving ${id} answered ${status}`);
  const { cookie, principal } = await loginVolunteer(server, body.phone, body.password);
  return {
    id,
    phone: body.phone,
    password: body.password,
    instituteId: body.instituteId,
    stationId: body.stationId,
    cookie,
    credential: { cookie },
    principal,
  };
}

/**
 * An order waiting at the station `stationId` for 接单: requested there, made (制单), dispatched to its
 * town and on to the station, by `dispatcher` (the district's, or an admin).
 */
export async function orderAtStation(
  server: Http,
  dispatcher: Credential,
  stationId: string,
  title = '帮独居老人代购药品',
): Promise<OrderView> {
  const atTown = await toInstitute(server, dispatcher, await requestOrder(server, dispatcher, stationId, title));
  const answer = await postCommand(
    server,
    dispatcher,
    atTown.id,
    command(atTown.id, atTown.version, { type: 'dispatch_station', stationId }),
  );
  if (!answer.ack.ok) throw new Error(`dispatch to ${stationId}: ${answer.ack.error.code}`);
  return answer.ack.data.order;
}

/** 派给志愿者 from the console; answers the HTTP status and body. */
export async function offerOrder(
  server: Http,
  dispatcherCookie: string,
  orderId: string,
  volunteerId: string,
): Promise<{ status: number; body: unknown }> {
  const response = await post(server, `/api/v1/orders/${orderId}/offers`, { volunteerId }, dispatcherCookie);
  return { status: response.status, body: await response.json() };
}
