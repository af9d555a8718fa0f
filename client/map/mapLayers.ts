/** What the on-map control switches: the heat query's parameters and which overlays show. */
import type { QueryParams } from '../../shared/queries/index';

export interface MapLayers {
  heat: QueryParams<'heat'>;
  showHeat: boolean;
  showCoverage: boolean;
}

export const HEAT_WINDOWS = ['1h', '6h', '24h'] as const;
export const HEAT_SOURCES = ['all', 'appeals', 'orders'] as const;
export const HEAT_CATEGORIES = ['all', 'consult', 'complaint', 'suggestion'] as const;

export const defaultMapLayers = (): MapLayers => ({
  heat: { window: '24h', source: 'all', category: 'all' },
  showHeat: true,
  showCoverage: true,
});
