/** Acks and command results: one discriminated union for every socket ack and command. */
export interface ErrorBody {
  code: string;
  message: string;
}
export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = (code: string, message: string): Result<never> => ({ ok: false, error: { code, message } });
