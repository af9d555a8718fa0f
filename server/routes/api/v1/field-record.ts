import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { VOLUNTEER_ROLES } from '../../../../shared/auth.js';
import { averageScore, FieldRecordSchema, monthSeries, RECORD_MONTHS } from '../../../../shared/record.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';
import {
  currentMonth,
  hoursByMonth,
  ordersCompleted,
  ratingsReceived,
} from '../../../store/volunteer-record-repository.js';

/** Rated orders listed on the phone; the count and average cover all of them. */
const RECENT_RATINGS = 5;
/** A little over a year back, so the oldest of the RECORD_MONTHS months is whole in any zone. */
const LOOKBACK_MS = (RECORD_MONTHS + 1) * 31 * 86_400_000;

/** 我的志愿记录: the volunteer's own hours by month, orders completed and ratings — theirs only. */
const fieldRecordRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/field/record',
    {
      config: { access: VOLUNTEER_ROLES },
      schema: {
        tags: ['field'],
        summary: 'My record: hours served by month (check-outs), orders completed, ratings received',
        response: { 200: FieldRecordSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const id = requirePrincipal(request).id;
      const now = Date.now();
      const [rows, end, completed, ratings] = await Promise.all([
        hoursByMonth(app.store, id, now - LOOKBACK_MS),
        currentMonth(app.store, now),
        ordersCompleted(app.store, id),
        ratingsReceived(app.store, id),
      ]);
      const months = monthSeries(rows, end);
      void reply.header('cache-control', 'no-store');
      return {
        totalHours: Math.round(months.reduce((sum, m) => sum + m.hours, 0) * 10) / 10,
        months,
        completed,
        ratings: {
          count: ratings.length,
          average: averageScore(ratings.map((r) => r.score)),
          recent: ratings.slice(0, RECENT_RATINGS).map((r) => ({ at: r.at, score: r.score })),
        },
      };
    },
  );
};

export default fieldRecordRoutes;
