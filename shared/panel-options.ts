/**
 * Options of each panel type (additionalProperties false: a typo in a file is an error at load,
 * never a silently ignored option). Each is the `options` of its type's member of the panel union
 * (shared/panels.ts), so a panel component reads them typed; whoever adds an option adds it here
 * and to dashboards/README.md.
 */
import { Type, type TSchema } from 'typebox';
import { CRITERIA, EvaluationPeriod } from './evaluation.js';
import { KPI_KEYS } from './kpi.js';
import { LabelSchema } from './label.js';
import { TimeWindow } from './queries/window.js';

/** Open demand (orders + appeals) at a node from which the map marks it 需求集中 (default 3). */
const BusyAt = Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 }));
const KpiKeySchema = Type.Enum([...KPI_KEYS]);
const Accent = Type.Enum(['cyan', 'gold', 'green']);
const CycleS = Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 }));

export const PANEL_OPTIONS = {
  kpi: Type.Object(
    {
      /** The figures shown, one tile each, in order. */
      keys: Type.Array(KpiKeySchema, { minItems: 1, maxItems: 8 }),
      columns: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
      size: Type.Optional(Type.Enum(['md', 'lg'])),
      /** Label and number side by side: a single wide figure. */
      inline: Type.Optional(Type.Boolean()),
      accents: Type.Optional(Type.Array(Accent, { maxItems: 8 })),
      /** Day-over-day change under each figure that has one (kpi.compare); default true. */
      compare: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  map: Type.Object(
    {
      legend: Type.Optional(Type.Boolean()),
      /** Whether the 500 m coverage layer starts on (off by default: the network and demand read first). */
      coverage: Type.Optional(Type.Boolean()),
      busyAt: BusyAt,
    },
    { additionalProperties: false },
  ),
  heat: Type.Object({ legend: Type.Optional(Type.Boolean()), busyAt: BusyAt }, { additionalProperties: false }),
  trend: Type.Object(
    {
      series: Type.Optional(LabelSchema),
      /** Windows offered by an on-screen switch (the query's window is the first shown). */
      windows: Type.Optional(Type.Array(Type.Enum(Object.values(TimeWindow)), { minItems: 1, maxItems: 5 })),
      /** Step through `windows` every so many seconds (a wall has no mouse). */
      cycleS: CycleS,
    },
    { additionalProperties: false },
  ),
  ranking: Type.Object(
    {
      /**
       * What is ranked: `evaluation` (一月一评估 of 所/站, the `evaluation` query), `towns` (所 by one
       * criterion), `brands` (`brands.ranking`), or `network` (institutes by stations and points).
       */
      of: Type.Optional(Type.Enum(['network', 'evaluation', 'towns', 'brands'])),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
      /** The figure ranked: `score` or a criterion (evaluation, towns); reads, activities or participants (brands). */
      metric: Type.Optional(Type.Enum(['score', ...CRITERIA, 'reads', 'articles'])),
      /** Periods offered by an on-screen switch (month, half-year, year). */
      periods: Type.Optional(Type.Array(Type.Enum(Object.values(EvaluationPeriod)), { minItems: 1, maxItems: 3 })),
      cycleS: CycleS,
    },
    { additionalProperties: false },
  ),
  feed: Type.Object(
    { rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })) },
    { additionalProperties: false },
  ),
  gauge: Type.Object(
    {
      kpi: Type.Optional(Type.Enum(['appealClosureRate'])),
      /** The closure-rate target (0..1), ticked on the ring; default: the highest "below" threshold. */
      target: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    },
    { additionalProperties: false },
  ),
  media: Type.Object(
    { show: Type.Optional(Type.Enum(['both', 'brands', 'articles', 'activities', 'stats'])) },
    { additionalProperties: false },
  ),
  'dispatch-summary': Type.Object({}, { additionalProperties: false }),
  'orders-closure': Type.Object(
    {
      /** Rows shown, the lowest rate first (a meeting looks at who lags); default 9, the towns of a county. */
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
      /** The rate (0..1) ticked on every bar; default: the highest "below" threshold. */
      target: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    },
    { additionalProperties: false },
  ),
} satisfies Record<string, TSchema>;
