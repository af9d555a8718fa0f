/** Status changes across the registry, beyond those of orders: the background hum of the status board. */
import type { Flow, FlowContext } from './context.js';

export function statusFlow(ctx: FlowContext): Flow {
  const { rng } = ctx;
  const statuses = ['available', 'off_duty', 'assigned', 'en_route', 'serving'] as const;
  return {
    step: (now, budget) =>
      Array.from({ length: budget }, () => {
        const v = ctx.volunteerRef(rng.int(0, ctx.registered - 1));
        const status = rng.weighted(statuses, [40, 30, 10, 10, 10]);
        return { ...ctx.envelope(v.stationId, now), type: 'volunteer.status', volunteerId: v.id, status };
      }),
  };
}
