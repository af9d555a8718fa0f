/**
 * The citizens' pages talk to the public routes only, with no credential: no wall token, no session
 * cookie (a dispatcher's phone opening a poster is a citizen there too). The tracking token goes in
 * its own header, never in a URL.
 */
import { TRACK_TOKEN_HEADER } from '../../shared/public';
import type { CallResult } from '../http';

export async function publicCall<T>(
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<CallResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'omit',
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token === undefined ? {} : { [TRACK_TOKEN_HEADER]: options.token }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    return { ok: false, error: { status: 0, code: 'NETWORK', message: 'no answer from the server' } };
  }
  const parsed: unknown = await res.json().catch(() => null);
  if (res.ok) return { ok: true, data: parsed as T };
  const { code, message } = (parsed ?? {}) as { code?: unknown; message?: unknown };
  return {
    ok: false,
    error: {
      status: res.status,
      code: typeof code === 'string' ? code : `HTTP_${res.status}`,
      message: typeof message === 'string' ? message : '',
    },
  };
}
