/**
 * ECharts for the wall's charts, imported by each chart component rather than by the entry: the
 * phones' and consoles' pages never draw a chart, so they must not download ECharts at first load.
 */
import { getInstanceByDom } from 'echarts/core';

// Test hook: a chart's ECharts instance from its element, so the e2e test reads where labels are drawn.
Object.assign(window, { wmsjChart: getInstanceByDom });
