/** English for the export menu, the shape of exports.zh-CN.ts. */
import type exportsZh from './exports.zh-CN';

const exports: typeof exportsZh = {
  button: 'Export',
  png: 'Image (PNG)',
  pngDashboard: 'Whole screen (PNG)',
  xlsx: 'Excel',
  csv: 'CSV',
  working: 'Exporting…',
  failed: 'Export failed: {reason}',
  close: 'Close',
  queries: {
    evaluation: 'Evaluation ranking',
    'brands.ranking': 'Brand ranking',
    'orders.closure': 'Order closure',
    'appeals.categories': 'Appeals by category',
    'dispatch.summary': 'Dispatch states',
    'media.propagation': 'Media reach',
    'kpi.compare': 'Key figures',
    trend: 'Trend data',
    'nodes.status': 'Sites status',
  },
};
export default exports;
