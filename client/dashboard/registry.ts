/**
 * Panel type → the component that draws it. Every panel component takes the fixed props
 * `{ panel: Panel; scope: string }`, so a dashboard file can place any type anywhere. Loaded
 * lazily: a wall showing no map does not download Leaflet.
 */
import { defineAsyncComponent, type Component } from 'vue';
import type { PanelType } from '../../shared/panels';

export const PANEL_COMPONENTS: Record<PanelType, Component> = {
  kpi: defineAsyncComponent(() => import('../panels/kpi/KpiPanel.vue')),
  map: defineAsyncComponent(() => import('../panels/map/MapPanel.vue')),
  heat: defineAsyncComponent(() => import('../panels/heat/HeatPanel.vue')),
  trend: defineAsyncComponent(() => import('../panels/trend/TrendPanel.vue')),
  ranking: defineAsyncComponent(() => import('../panels/ranking/RankingPanel.vue')),
  feed: defineAsyncComponent(() => import('../panels/feed/FeedPanel.vue')),
  gauge: defineAsyncComponent(() => import('../panels/gauge/GaugePanel.vue')),
  media: defineAsyncComponent(() => import('../panels/media/MediaPanel.vue')),
  'dispatch-summary': defineAsyncComponent(() => import('../panels/dispatch-summary/DispatchSummaryPanel.vue')),
  'orders-closure': defineAsyncComponent(() => import('../panels/orders-closure/OrdersClosurePanel.vue')),
};
