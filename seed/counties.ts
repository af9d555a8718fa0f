/**
 * The two default counties: their real outlines (seed/geo) and the sizes of their practice networks
 * as the source articles give them ("1+9+118+341" in Shuangliu; 11 towns, 98 points in Baokang).
 */
import { readFileSync } from 'node:fs';
import type { FeatureCollection, NetworkName, PointKind } from '../shared/network.js';
import { localPlane, mainBody, type MultiPolygon, type Position } from '../shared/geometry.js';

export interface CountySpec {
  name: string;
  file: string;
  /** Towns (镇/街道/乡); the first is the county seat, which also holds the center. */
  towns: readonly string[];
  stations: number;
  points: number;
  /** Relative frequency of point kinds: Shuangliu's are parks, squares, estates…; Baokang's are mostly offices. */
  pointKinds: Readonly<Record<PointKind, number>>;
  /** Registered volunteers and teams (志愿服务队) the articles report. */
  volunteers: number;
  teams: number;
  /** A year of activity, which sizes the backfilled history. */
  yearly: Yearly;
}

export interface Yearly {
  activities: number;
  appealsReceived: number;
  appealsClosed: number;
  orders: number;
  articles: number;
  reads: number;
}

export const COUNTIES: Readonly<Record<NetworkName, CountySpec>> = {
  shuangliu: {
    name: '双流区',
    file: 'shuangliu.geojson',
    towns: ['东升街道', '西航港街道', '九江街道', '黄甲街道', '公兴街道', '彭镇', '黄水镇', '永安镇', '黄龙溪镇'],
    stations: 118,
    points: 341,
    pointKinds: { park: 12, square: 12, estate: 30, courtyard: 24, office: 10, facility: 12 },
    volunteers: 136_000,
    teams: 1_416,
    // 7,200 activities; 20,038 appeals, 19,597 closed; 45,000 articles, 600 million reads. Orders are
    // not counted in the article: ~3,000, three times Baokang's rate for a registry five times larger.
    yearly: {
      activities: 7_200,
      appealsReceived: 20_038,
      appealsClosed: 19_597,
      orders: 3_000,
      articles: 45_000,
      reads: 600_000_000,
    },
  },
  baokang: {
    name: '保康县',
    file: 'baokang.geojson',
    towns: [
      '城关镇',
      '黄堡镇',
      '后坪镇',
      '龙坪镇',
      '店垭镇',
      '马良镇',
      '歇马镇',
      '马桥镇',
      '寺坪镇',
      '过渡湾镇',
      '两峪乡',
    ],
    stations: 250,
    points: 98,
    pointKinds: { park: 5, square: 8, estate: 3, courtyard: 4, office: 45, facility: 35 },
    volunteers: 25_000,
    teams: 1_000,
    // Baokang's article gives ~1,000 activities and ~1,000 ordered services a year; appeals and media
    // are Shuangliu's figures scaled by the registries (25,000 / 136,000), at the same closure rate.
    yearly: {
      activities: 1_000,
      appealsReceived: 3_683,
      appealsClosed: 3_602,
      orders: 1_000,
      articles: 8_300,
      reads: 110_000_000,
    },
  },
};

export interface Outline {
  collection: FeatureCollection;
  adcode: string;
  center: Position;
  shape: MultiPolygon;
}

interface OutlineFeature {
  properties: { adcode: string; center: Position };
  geometry:
    { type: 'MultiPolygon'; coordinates: MultiPolygon } | { type: 'Polygon'; coordinates: MultiPolygon[number] };
}

/** A part of an outline farther than this from its main body is dropped as a stray (see mainBody). */
const STRAY_PART_M = 20_000;

/**
 * The county outline as shipped (one feature; Polygon or MultiPolygon), with stray parts far
 * outside the main body dropped and named in a process warning, so a new county's file cannot
 * pull the map and the generator off the county.
 */
export function loadOutline(name: NetworkName): Outline {
  const text = readFileSync(new URL(`./geo/${COUNTIES[name].file}`, import.meta.url), 'utf8');
  const collection = JSON.parse(text) as FeatureCollection;
  const feature = collection.features[0] as OutlineFeature | undefined;
  if (!feature) throw new Error(`${name}: the outline has no feature`);
  const { geometry, properties } = feature;
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const { kept: shape, dropped } = mainBody(parts, localPlane(properties.center[1]), STRAY_PART_M);
  if (dropped.length > 0) {
    const where = dropped.map((p) => `${p[0]?.length ?? 0} points near ${JSON.stringify(p[0]?.[0])}`).join('; ');
    process.emitWarning(`${name}: outline parts more than ${STRAY_PART_M / 1000} km from the county dropped: ${where}`);
  }
  const cleaned = { ...feature, geometry: { type: 'MultiPolygon', coordinates: shape } };
  return {
    collection: { ...collection, features: [cleaned] },
    adcode: properties.adcode,
    center: properties.center,
    shape,
  };
}
