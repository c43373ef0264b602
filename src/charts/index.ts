export { lineChart } from './line-chart.js';
export type { LineChartOptions, LineSeries } from './line-chart.js';
export { scatterChart } from './scatter-chart.js';
export type { ScatterChartOptions, ScatterPoint } from './scatter-chart.js';
export { shareChart } from './share-chart.js';
export type { ShareChartOptions, ShareSeries } from './share-chart.js';
export { CHART_PALETTE } from './frame.js';
