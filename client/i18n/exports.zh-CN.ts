/** 简体中文 for the export menu on the wall's panels and dashboards (client/exports/). */
const exports = {
  button: '导出',
  png: '图片 PNG',
  pngDashboard: '整屏图片 PNG',
  xlsx: 'Excel 表格',
  csv: 'CSV 表格',
  working: '正在导出…',
  failed: '导出失败：{reason}',
  close: '关闭',
  queries: {
    evaluation: '评估排名',
    'brands.ranking': '品牌排名',
    'orders.closure': '点单办结',
    'appeals.categories': '诉求分类',
    'dispatch.summary': '派单状态',
    'media.propagation': '传播数据',
    'kpi.compare': '核心指标',
    trend: '趋势数据',
    'nodes.status': '阵地状态',
  },
};
export default exports;
