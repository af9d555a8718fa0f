/**
 * A county as data (counties/README.md): `county.json` (these facts), an outline GeoJSON and a
 * nodes file (CSV or JSON) with the 中心/所/站/点 tree. The schemas check each file's shape; the
 * loader (county-load.ts) adds the checks across rows and files (parents, levels, outline).
 */
import { Type, type Static } from 'typebox';
import { CountyFactsSchema, PointKindSchema, YearlySchema } from './network.js';

const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Weight = Type.Number({ minimum: 0 });

/** `county.json`. File names are relative to it. */
export const CountyFileSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    /** The name on English screens; without it they show `name`. */
    nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    /** The 6-digit administrative code (行政区划代码), printed in every 文明实践码. */
    code: Type.String({ pattern: '^[0-9]{6}$' }),
    timeZone: Type.String({ minLength: 1 }),
    /** [lon, lat] the map and the town areas are centred on; default: the 中心's position. */
    center: Type.Optional(Type.Tuple([Lon, Lat])),
    outline: Type.String({ minLength: 1, default: 'outline.geojson' }),
    /** `.csv` or `.json`. */
    nodes: Type.String({ minLength: 1, pattern: '\\.(csv|json)$', default: 'nodes.csv' }),
    volunteers: CountyFactsSchema.properties.volunteers,
    teams: CountyFactsSchema.properties.teams,
    yearly: YearlySchema,
    brands: Type.Optional(CountyFactsSchema.properties.brands),
    /** Parts the nodes file leaves out, generated from SEED: 点/基地 around the stations. */
    generate: Type.Optional(
      Type.Object(
        {
          points: Type.Integer({ minimum: 0, maximum: 5_000 }),
          /** Relative frequency of point kinds (a kind left out is never drawn); default: all alike. */
          pointKinds: Type.Optional(
            Type.Partial(
              Type.Object(
                { park: Weight, square: Weight, estate: Weight, courtyard: Weight, office: Weight, facility: Weight },
                { additionalProperties: false },
              ),
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    /** Where the figures come from (free text for the next person to edit the file). */
    notes: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type CountyFile = Static<typeof CountyFileSchema>;

/** Levels as written in a nodes file: the English keys or the articles' words. */
export const LEVEL_WORDS = {
  center: 'center',
  中心: 'center',
  institute: 'institute',
  所: 'institute',
  station: 'station',
  站: 'station',
  point: 'point',
  点: 'point',
} as const;

/** One row of a nodes file (a CSV line with its header's names, or a JSON object); `parent` empty for the center. */
export const NodeRowSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }),
    level: Type.Enum(Object.keys(LEVEL_WORDS)),
    parent: Type.String({ maxLength: 32 }),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    lon: Lon,
    lat: Lat,
    address: Type.String({ maxLength: 120 }),
    /** Only for a 点: park, square, estate, courtyard, office, facility (default facility). */
    kind: Type.Optional(Type.Union([PointKindSchema, Type.Literal('')])),
  },
  { additionalProperties: false },
);
export type NodeRow = Static<typeof NodeRowSchema>;
