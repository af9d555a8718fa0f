/** The HTTP side of the server contract: typed GETs against /api (same origin as the wall). */

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
  const res = await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  if (!res.ok) throw new HttpError(res.status, path);
  return (await res.json()) as T;
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
