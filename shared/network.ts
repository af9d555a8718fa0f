/**
 * The "1+9+118+N" practice network: 中心 → 所 → 站 → 点. One data file per county
 * (seeded), the same shape for every county.
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

export const NetworkName = { shuangliu: 'shuangliu', baokang: 'baokang' } as const;
export type NetworkName = (typeof NetworkName)[keyof typeof NetworkName];

export const NodeLevelSchema = Type.Enum(Object.values(NodeLevel));
export const PointKindSchema = Type.Enum(Object.values(PointKind));
export const NetworkNameSchema = Type.Enum(Object.values(NetworkName));

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

export const CountySchema = Type.Object({
  network: NetworkNameSchema,
  name: Type.String(),
  adcode: Type.String(),
  center: Type.Tuple([Type.Number(), Type.Number()]),
  /**
   * The county's IANA time zone: every clock, date and "today" on its screens. Optional because a
   * store seeded before it was added holds the county without it (read as shared/time-zone.ts DEFAULT_TIME_ZONE).
   */
  timeZone: Type.Optional(Type.String({ minLength: 1 })),
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
