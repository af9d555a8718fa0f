/**
 * The HTTP side of the server contract: typed calls against /api (same origin as the wall, so a
 * person's session cookie goes along by default; a wall adds its token).
 */
import { authHeaders } from './auth';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
  ) {
    super(`GET ${path} failed with HTTP ${status}`);
    this.name = 'HttpError';
  }
}

/** The server validates its responses against the shared schemas, so the body is trusted as T. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, {
    headers: { accept: 'application/json', ...authHeaders() },
    ...(signal ? { signal } : {}),
  });
  if (!res.ok) throw new HttpError(res.status, path);
  return (await res.json()) as T;
}

/** A JSON POST; answers the status and the parsed body (errors are `{ code, message }`). */
export async function postJson(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries until it succeeds: a wall is switched on before (or survives) a server restart, so a
 * failed load must heal by itself. Backoff 1 s, 2 s, 4 s … capped at 15 s.
 */
export async function getJsonWithRetry<T>(path: string, onError: (err: unknown) => void): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await getJson<T>(path);
    } catch (err) {
      onError(err);
      await sleep(Math.min(15_000, 1000 * 2 ** attempt));
    }
  }
}

/** A refused or failed call: the server's `{ code, message }`, or `NETWORK` when it did not answer. */
export interface CallError {
  status: number;
  code: string;
  message: string;
}
export type CallResult<T> = { ok: true; data: T } | { ok: false; error: CallError };

/** A JSON call answered as data or a `{ status, code, message }` refusal; no answer is `NETWORK`. */
export async function jsonCall<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; credentials?: RequestCredentials } = {},
): Promise<CallResult<T>> {
  const { body, headers = {}, credentials } = options;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      ...(credentials ? { credentials } : {}),
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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

/**
 * A person's call (the admin console): the session cookie only. A wall token this browser may also
 * hold (a screen link opened here) must not stand in for the admin, nor lock the admin out when it
 * is revoked.
 */
export const personCall = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
  jsonCall<T>(method, path, { body });
