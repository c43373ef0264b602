import { escapeXml } from './escape.js';
import { formatTick, niceTicks } from './ticks.js';

/** Colour-blind-safe palette (Okabe–Ito), cycled by series or group. */
export const CHART_PALETTE: readonly string[] = [
  '#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000',
];

export const WIDTH = 640;
export const HEIGHT = 400;
const LEFT = 70;
const RIGHT = 150;
const TOP = 40;
const BOTTOM = 55;

/** Maps data coordinates to pixels inside the plot area. */
export interface Frame {
  x(value: number): number;
  y(value: number): number;
  /** Axes, grid, ticks, title and labels as SVG markup. */
  svg: string;
}

/** Finite [min, max] of the values, or [0, 1] when there are none. */
export function extent(values: Iterable<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [0, 1];
}

/** Builds the axes of a chart for the given data ranges. */
export function buildFrame(
  title: string,
  xLabel: string,
  yLabel: string,
  [x0, x1]: [number, number],
  [y0, y1]: [number, number],
): Frame {
  const xt = niceTicks(x0, x1, 6);
  const yt = niceTicks(y0, y1, 5);
  const xmin = xt[0], xmax = xt[xt.length - 1];
  const ymin = yt[0], ymax = yt[yt.length - 1];
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  // Halving first keeps differences finite even for ranges spanning ±1.7e308.
  const x = (v: number) => LEFT + ((v / 2 - xmin / 2) / (xmax / 2 - xmin / 2)) * plotW;
  const y = (v: number) => TOP + plotH - ((v / 2 - ymin / 2) / (ymax / 2 - ymin / 2)) * plotH;
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  for (const t of xt) {
    const px = fmt(x(t));
    parts.push(`<line x1="${px}" y1="${TOP}" x2="${px}" y2="${TOP + plotH}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${px}" y="${TOP + plotH + 16}" text-anchor="middle">${escapeXml(formatTick(t))}</text>`);
  }
  for (const t of yt) {
    const py = fmt(y(t));
    parts.push(`<line x1="${LEFT}" y1="${py}" x2="${LEFT + plotW}" y2="${py}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatTick(t))}</text>`);
  }
  parts.push(`<rect x="${LEFT}" y="${TOP}" width="${plotW}" height="${plotH}" fill="none" stroke="#333333"/>`);
  parts.push(`<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  parts.push(`<text x="${LEFT + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  parts.push(
    `<text x="16" y="${TOP + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${TOP + plotH / 2})">${escapeXml(yLabel)}</text>`,
  );
  return { x, y, svg: parts.join('\n') };
}

/** A legend to the right of the plot: one coloured mark per name. */
export function legend(names: readonly string[]): string {
  const x = WIDTH - RIGHT + 12;
  return names
    .map((name, i) => {
      const y = TOP + 10 + i * 18;
      const colour = CHART_PALETTE[i % CHART_PALETTE.length];
      return `<rect x="${x}" y="${y - 6}" width="12" height="12" fill="${colour}"/><text x="${x + 18}" y="${y}" dominant-baseline="middle">${escapeXml(name)}</text>`;
    })
    .join('\n');
}

/** Wraps chart markup in a standalone SVG document. */
export function svgDocument(title: string, body: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">\n` +
    `<title>${escapeXml(title)}</title>\n${body}\n</svg>\n`
  );
}

/** Pixel coordinate with two decimals. */
export function fmt(v: number): string {
  return String(Math.round(v * 100) / 100);
}
