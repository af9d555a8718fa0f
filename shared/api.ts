/** HTTP response shapes shared by the server's route schemas and the client. */
import { Type, type Static } from 'typebox';

export const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  /** Why the status is degraded; empty when ok. */
  causes: Type.Array(Type.String()),
  clickhouse: Type.Object({
    transport: Type.Union([Type.Literal('embedded'), Type.Literal('http')]),
    reachable: Type.Boolean(),
    latencyMs: Type.Number(),
  }),
  ingest: Type.Object({
    /** Events accepted (in the write-ahead log) but not yet in ClickHouse. */
    pending: Type.Integer(),
    /** Age of the oldest pending event, ms; 0 when nothing is pending. */
    lagMs: Type.Number(),
    walBytes: Type.Integer(),
  }),
  uptimeS: Type.Number(),
});
export type Health = Static<typeof HealthSchema>;

/** What an anonymous caller (a load balancer's probe) learns: the status only, no causes. */
export const HealthSummarySchema = Type.Object({ status: HealthSchema.properties.status });
export type HealthSummary = Static<typeof HealthSummarySchema>;

export const ClientConfigSchema = Type.Object({
  /** Optional raster tile URL template; null means vector layers only (no tile server needed). */
  tileUrl: Type.Union([Type.String(), Type.Null()]),
  locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]),
  network: Type.String(),
  /** PUBLIC_URL: the origin node links point at; null = the screen's own origin. */
  publicUrl: Type.Union([Type.String(), Type.Null()]),
});
export type ClientConfig = Static<typeof ClientConfigSchema>;

export const ErrorResponseSchema = Type.Object({ code: Type.String(), message: Type.String() });

/** A route's refusals, each answered as `{ code, message }`: `response: { 200: …, ...errorResponses(400, 401) }`. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorResponseSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponseSchema])) as Record<S, typeof ErrorResponseSchema>;
}
