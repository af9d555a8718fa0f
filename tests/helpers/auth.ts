/** Credentials as the tests' callers hold them, and a socket handshake's outcome as data. */
import { io, type Socket } from 'socket.io-client';

/** A caller: nothing, a token (`Authorization: Bearer` / handshake `auth.token`) or a session cookie. */
export type Credential = { token: string } | { cookie: string } | null;

export function headersFor(credential: Credential): Record<string, string> {
  if (credential === null) return {};
  return 'token' in credential ? { authorization: `Bearer ${credential.token}` } : { cookie: credential.cookie };
}

export function socketFor(url: string, namespace: string, credential: Credential): Socket {
  return io(`${url}${namespace}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: credential && 'token' in credential ? { token: credential.token } : {},
    extraHeaders: credential && 'cookie' in credential ? { cookie: credential.cookie } : {},
  });
}

/** Resolves 'connected' or the refusal's code (`AUTH_UNAUTHENTICATED`, `AUTH_FORBIDDEN`); closes the socket. */
export async function handshake(url: string, namespace: string, credential: Credential): Promise<string> {
  const socket = socketFor(url, namespace, credential);
  try {
    return await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (err: Error & { data?: { code?: string } }) =>
        resolve(err.data?.code ?? `transport: ${err.message}`),
      );
    });
  } finally {
    socket.close();
  }
}
