import { InputError } from '../errors.js';
import { CHART_PALETTE, buildFrame, extent, fmt, legend, svgDocument } from './frame.js';

/** One point of a {@link scatterChart}; `group` picks the colour and legend entry. */
export interface ScatterPoint {
  x: number;
  y: number;
  group?: string | number;
}

/** Options of {@link scatterChart}. */
export interface ScatterChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  points: readonly ScatterPoint[];
}

/**
 * A standalone SVG scatter plot, coloured by group (e.g. a 2-D PCA view coloured by cluster).
 * Groups are listed in the legend in order of first appearance; non-finite points are skipped.
 *
 * @example
 * const svg = scatterChart({
 *   title: 'Segments', xLabel: 'PC1', yLabel: 'PC2',
 *   points: [{ x: 0.1, y: 2, group: 'cluster 0' }, { x: -1, y: 0.5, group: 'cluster 1' }],
 * });
 */
export function scatterChart(options: ScatterChartOptions): string {
  const { title, xLabel, yLabel, points } = options;
  if (!Array.isArray(points)) throw new InputError('scatterChart: points must be an array');
  const groups = new Map<string, number>();
  for (const p of points) {
    const key = String(p.group ?? '');
    if (!groups.has(key)) groups.set(key, groups.size);
  }
  const frame = buildFrame(
    String(title),
    String(xLabel),
    String(yLabel),
    extent(points.map((p) => p.x)),
    extent(points.map((p) => p.y)),
  );
  const body: string[] = [frame.svg];
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    const colour = CHART_PALETTE[groups.get(String(p.group ?? ''))! % CHART_PALETTE.length];
    body.push(`<circle cx="${fmt(frame.x(p.x))}" cy="${fmt(frame.y(p.y))}" r="2.5" fill="${colour}" fill-opacity="0.7"/>`);
  }
  if (groups.size > 1 || !groups.has('')) body.push(legend([...groups.keys()]));
  return svgDocument(String(title), body.join('\n'));
}
