/**
 * The "1+9+118+N" practice network: 中心 → 所 → 站 → 点, the same shape for every county; read
 * from the county's data files (shared/county.ts) when the store is seeded.
 */
import { Type, type Static } from 'typebox';

export const NodeLevel = {
  center: 'center',
  institute: 'institute',
  station: 'station',
  point: 'point',
} as const;
export type NodeLevel = (typeof NodeLevel)[keyof typeof NodeLevel];

/** 点/基地 kinds named in the Shuangliu article. */
export const PointKind = {
  park: 'park',
  square: 'square',
  estate: 'estate',
  courtyard: 'courtyard',
  office: 'office',
  facility: 'facility',
} as const;
export type PointKind = (typeof PointKind)[keyof typeof PointKind];

export const NodeLevelSchema = Type.Enum(Object.values(NodeLevel));
export const PointKindSchema = Type.Enum(Object.values(PointKind));

export const NetworkNodeSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 32 }),
    level: NodeLevelSchema,
    name: Type.String(),
    parentId: Type.Union([Type.String(), Type.Null()]),
    /** The 所 this node belongs to (itself for an institute, null for the center). */
    instituteId: Type.Union([Type.String(), Type.Null()]),
    lat: Type.Number(),
    lon: Type.Number(),
    kind: Type.Union([PointKindSchema, Type.Null()]),
    /** 文明实践码: the QR payload printed at the site ("一码可查"). */
    code: Type.String(),
    /** Where to find it, as the county's nodes file gives it; absent in a store seeded before addresses. */
    address: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type NetworkNode = Static<typeof NetworkNodeSchema>;

/** GeoJSON is passed through as data; only its outer shape is checked. */
export const FeatureCollectionSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Unknown()),
});
export type FeatureCollection = { type: 'FeatureCollection'; features: unknown[] };

/** A year of activity the articles report; sizes the backfilled history and the live rates. */
export const YearlySchema = Type.Object(
  {
    activities: Type.Integer({ minimum: 0 }),
    appealsReceived: Type.Integer({ minimum: 0 }),
    appealsClosed: Type.Integer({ minimum: 0 }),
    orders: Type.Integer({ minimum: 0 }),
    articles: Type.Integer({ minimum: 0 }),
    reads: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type Yearly = Static<typeof YearlySchema>;

/** What the seed and the simulator need beyond the tree: registry sizes, a year's figures, named brands. */
export const CountyFactsSchema = Type.Object(
  {
    /** Registered volunteers and teams (志愿服务队). */
    volunteers: Type.Integer({ minimum: 1 }),
    teams: Type.Integer({ minimum: 1 }),
    yearly: YearlySchema,
    /** The county's own named brands; the rest up to 128 are named after its towns. */
    brands: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 128 }),
  },
  { additionalProperties: false },
);
export type CountyFacts = Static<typeof CountyFactsSchema>;

export const CountySchema = Type.Object({
  /** `shuangliu`, `baokang`, or the name of the county's directory (NETWORK=/path/to/dir). */
  network: Type.String(),
  name: Type.String(),
  /** The name on English screens; without it they show `name`. */
  nameEn: Type.Optional(Type.String()),
  adcode: Type.String(),
  center: Type.Tuple([Type.Number(), Type.Number()]),
  /**
   * The county's IANA time zone: every clock, date and "today" on its screens. Optional because a
   * store seeded before it was added holds the county without it (read as shared/time-zone.ts DEFAULT_TIME_ZONE).
   */
  timeZone: Type.Optional(Type.String({ minLength: 1 })),
  /** Optional because a store seeded before counties were data holds none (the server fills a built-in's in). */
  facts: Type.Optional(CountyFactsSchema),
});
export type County = Static<typeof CountySchema>;

export const NetworkSchema = Type.Object({
  county: CountySchema,
  nodes: Type.Array(NetworkNodeSchema),
  /** The real county outline. */
  outline: FeatureCollectionSchema,
  /** Generated town (镇/街道) areas, one feature per institute, `properties.instituteId`. */
  towns: FeatureCollectionSchema,
});
export interface Network {
  county: County;
  nodes: NetworkNode[];
  outline: FeatureCollection;
  towns: FeatureCollection;
}

export function countByLevel(nodes: readonly NetworkNode[]): Record<NodeLevel, number> {
  const counts: Record<NodeLevel, number> = { center: 0, institute: 0, station: 0, point: 0 };
  for (const n of nodes) counts[n.level] += 1;
  return counts;
}
