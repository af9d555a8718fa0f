/**
 * Panel type → the component that draws it. Every panel component takes the fixed props
 * `{ panel: Panel; scope: string }`, so a dashboard file can place any type anywhere. Loaded
 * lazily: a wall showing no map does not download Leaflet.
 */
import { defineAsyncComponent, type Component } from 'vue';
import type { PanelType } from '../../shared/panels';

export const PANEL_COMPONENTS: Record<PanelType, Component> = {
  kpi: defineAsyncComponent(() => import('../panels/KpiPanel.vue')),
  map: defineAsyncComponent(() => import('../panels/MapPanel.vue')),
  heat: defineAsyncComponent(() => import('../panels/HeatPanel.vue')),
  trend: defineAsyncComponent(() => import('../panels/TrendPanel.vue')),
  ranking: defineAsyncComponent(() => import('../panels/RankingPanel.vue')),
  feed: defineAsyncComponent(() => import('../panels/FeedPanel.vue')),
  gauge: defineAsyncComponent(() => import('../panels/GaugePanel.vue')),
  media: defineAsyncComponent(() => import('../panels/MediaPanel.vue')),
  'dispatch-summary': defineAsyncComponent(() => import('../panels/DispatchSummaryPanel.vue')),
};
