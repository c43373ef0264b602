export { lineChart } from './lineChart.js';
export type { LineChartOptions, LineSeries } from './lineChart.js';
export { scatterChart } from './scatterChart.js';
export type { ScatterChartOptions, ScatterPoint } from './scatterChart.js';
export { shareChart } from './share-chart.js';
export type { ShareChartOptions, ShareSeries } from './share-chart.js';
export { CHART_PALETTE } from './frame.js';
