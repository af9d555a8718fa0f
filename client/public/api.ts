/**
 * The citizens' pages talk to the public routes only, with no credential: no wall token, no session
 * cookie (a dispatcher's phone opening a poster is a citizen there too). The tracking token goes in
 * its own header, never in a URL.
 */
import { TRACK_TOKEN_HEADER } from '../../shared/public';
import { jsonCall, type CallResult } from '../http';

export const publicCall = <T>(
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<CallResult<T>> =>
  jsonCall<T>(method, path, {
    body: options.body,
    credentials: 'omit',
    headers: options.token === undefined ? {} : { [TRACK_TOKEN_HEADER]: options.token },
  });
