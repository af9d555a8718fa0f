/**
 * `fetch` over Fastify's `inject`: a request goes through the app's whole routing, hooks, schemas
 * and error handler without a socket, so a test converted from the real server keeps its `fetch`
 * calls and its `Response` assertions. Only this app's origin is reachable: anything else throws.
 */
import type { FastifyInstance } from 'fastify';

/** What undici's fetch adds to every request when the caller does not: the server sees the same. */
const FETCH_DEFAULTS: Record<string, string> = {
  accept: '*/*',
  'accept-language': '*',
  'sec-fetch-mode': 'cors',
  'user-agent': 'node',
  'accept-encoding': 'gzip, deflate',
};
/** Statuses whose answers have no body (the Response constructor refuses one). */
const NO_BODY = new Set([101, 204, 205, 304]);
/** The redirects fetch follows, and its own limit on how many. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

export function injectFetch(app: FastifyInstance, origin: string): typeof fetch {
  const inject = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.origin !== origin) throw new TypeError(`in-process fetch reaches ${origin} only, not ${url.origin}`);
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const answer = await app.inject({
      method: request.method,
      url: `${url.pathname}${url.search}`,
      headers: { ...FETCH_DEFAULTS, host: url.host, ...Object.fromEntries(request.headers) },
      ...(body ? { payload: body } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) headers.append(name, String(v));
    }
    const empty = NO_BODY.has(answer.statusCode) || request.method === 'HEAD';
    return new Response(empty ? null : new Uint8Array(answer.rawPayload), {
      status: answer.statusCode,
      statusText: answer.statusMessage,
      headers,
    });
  };

  return async (input, init) => {
    let request = new Request(input instanceof Request ? input : new URL(String(input), origin), init);
    for (let hops = 0; ; hops += 1) {
      const response = await inject(request.clone());
      const location = response.headers.get('location');
      if (request.redirect !== 'follow' || !location || !REDIRECTS.has(response.status)) {
        return response;
      }
      if (hops === MAX_REDIRECTS) throw new TypeError('fetch failed: redirect count exceeded');
      // As fetch: 303, and 301/302 after a POST, go on as a GET without a body.
      const asGet = response.status === 303 || (request.method === 'POST' && response.status <= 302);
      request = new Request(new URL(location, request.url), {
        method: asGet ? 'GET' : request.method,
        headers: request.headers,
        ...(asGet ? {} : { body: await request.clone().arrayBuffer() }),
      });
    }
  };
}
