import { InputError } from '../errors.js';
import { CHART_PALETTE, buildFrame, extent, fmt, legend, svgDocument } from './frame.js';

/** One named polyline of a {@link lineChart}. */
export interface LineSeries {
  name: string;
  /** `[x, y]` pairs, drawn in the given order; non-finite points break the line. */
  points: ReadonlyArray<readonly [number, number]>;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
}

/**
 * A standalone SVG line chart (elbow curves, ROC and precision-recall curves, ...).
 * Every text is escaped; the result is a complete `.svg` file.
 *
 * @example
 * const svg = lineChart({
 *   title: 'Elbow', xLabel: 'k', yLabel: 'inertia',
 *   series: [{ name: 'inertia', points: [[2, 900], [3, 600], [4, 520]] }],
 * });
 */
export function lineChart(options: LineChartOptions): string {
  const { title, xLabel, yLabel, series } = options;
  if (!Array.isArray(series)) throw new InputError('lineChart: series must be an array');
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    if (!s || !Array.isArray(s.points)) throw new InputError('lineChart: every series needs a points array');
    for (const [x, y] of s.points) {
      if (Number.isFinite(x) && Number.isFinite(y)) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  const frame = buildFrame(String(title), String(xLabel), String(yLabel), extent(xs), extent(ys));
  const body: string[] = [frame.svg];
  series.forEach((s, i) => {
    const colour = CHART_PALETTE[i % CHART_PALETTE.length];
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${fmt(frame.x(x))},${fmt(frame.y(y))}`;
      pen = true;
    }
    if (d) body.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    if (s.points.length <= 50) {
      for (const [x, y] of s.points) {
        if (Number.isFinite(x) && Number.isFinite(y)) {
          body.push(`<circle cx="${fmt(frame.x(x))}" cy="${fmt(frame.y(y))}" r="3" fill="${colour}"/>`);
        }
      }
    }
  });
  body.push(legend(series.map((s) => String(s.name))));
  return svgDocument(String(title), body.join('\n'));
}
