/** Colours and text styles the wall's ECharts options share (sizes are design pixels). */
export const CHART_TEXT = {
  color: '#8db4dc',
  fontSize: 13,
  fontFamily: "'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif",
};
export const SPLIT_LINE = { lineStyle: { color: 'rgba(90, 160, 255, 0.14)', type: 'dashed' as const } };
export const AXIS_LINE = { lineStyle: { color: 'rgba(90, 170, 255, 0.45)' } };

/** A vertical gradient as plain option data (no echarts.graphic import needed). */
export function verticalGradient(top: string, bottom: string) {
  return {
    type: 'linear' as const,
    x: 0,
    y: 0,
    x2: 0,
    y2: 1,
    colorStops: [
      { offset: 0, color: top },
      { offset: 1, color: bottom },
    ],
  };
}

export function horizontalGradient(left: string, right: string) {
  return { ...verticalGradient(left, right), x2: 1, y2: 0 };
}
