import { escapeXml } from './escape.js';
import { CHART_PALETTE, HEIGHT, WIDTH, buildFrame, fmt, legend, svgDocument } from './frame.js';
import { formatTick, niceTicks } from './ticks.js';

/** One sample's shares per bin or category. */
export interface ShareSeries {
  name: string;
  shares: readonly number[];
}

/** Options of {@link shareChart}. */
export interface ShareChartOptions {
  title: string;
  /** Bin edges (shares.length + 1) for overlaid histograms; leave out for categories. */
  edges?: readonly number[];
  /** Category names, one per share (used when there are no edges). */
  categories?: readonly string[];
  xLabel?: string;
  yLabel?: string;
  /** Categories shown at most (the largest first); default 20. */
  maxCategories?: number;
}

/**
 * Compares samples' distributions as one SVG: overlaid translucent histograms over shared
 * bin edges, or side-by-side bars per category. Every text is escaped.
 *
 * @example
 * shareChart({ title: 'Income', edges: [0, 1, 2], series: [{ name: 'reference', shares: [0.5, 0.5] }, { name: 'current', shares: [0.2, 0.8] }] })
 */
export function shareChart(options: ShareChartOptions & { series: readonly ShareSeries[] }): string {
  const { title, series } = options;
  const yLabel = options.yLabel ?? 'share';
  let yMax = 0;
  for (const s of series) for (const v of s.shares) if (Number.isFinite(v) && v > yMax) yMax = v;
  if (!(yMax > 0)) yMax = 1;
  const body: string[] = [];
  if (options.edges) {
    const edges = options.edges;
    const frame = buildFrame(title, options.xLabel ?? '', yLabel, [edges[0], edges[edges.length - 1]], [0, yMax]);
    body.push(frame.svg);
    series.forEach((s, k) => {
      const colour = CHART_PALETTE[k % CHART_PALETTE.length];
      s.shares.forEach((v, i) => {
        if (!(v > 0)) return;
        const x0 = frame.x(edges[i]);
        const x1 = frame.x(edges[i + 1]);
        const y = frame.y(v);
        body.push(`<rect x="${fmt(x0)}" y="${fmt(y)}" width="${fmt(Math.max(x1 - x0, 0.5))}" height="${fmt(frame.y(0) - y)}" fill="${colour}" fill-opacity="0.45" stroke="${colour}" stroke-width="0.5"/>`);
      });
    });
  } else {
    body.push(categoryFrame(title, options.xLabel ?? '', yLabel, yMax, series, options.categories ?? [], options.maxCategories ?? 20));
  }
  body.push(legend(series.map((s) => s.name)));
  return svgDocument(title, body.join('\n'));
}

const LEFT = 70;
const RIGHT = 150;
const TOP = 40;
const BOTTOM = 90;

/** Axes and grouped bars for categories (the numeric frame would label positions, not names). */
function categoryFrame(title: string, xLabel: string, yLabel: string, yMax: number, series: readonly ShareSeries[], categories: readonly string[], maxCategories: number): string {
  const order = categories.map((_, i) => i);
  order.sort((a, b) => Math.max(...series.map((s) => s.shares[b] ?? 0)) - Math.max(...series.map((s) => s.shares[a] ?? 0)));
  const shown = order.slice(0, maxCategories);
  const ticks = niceTicks(0, yMax, 5);
  const top = ticks[ticks.length - 1];
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const y = (v: number) => TOP + plotH - (v / top) * plotH;
  const parts = [`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`];
  for (const t of ticks) {
    parts.push(`<line x1="${LEFT}" y1="${fmt(y(t))}" x2="${LEFT + plotW}" y2="${fmt(y(t))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${fmt(y(t))}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatTick(t))}</text>`);
  }
  const band = plotW / Math.max(shown.length, 1);
  const barW = (band * 0.8) / Math.max(series.length, 1);
  shown.forEach((c, i) => {
    const x = LEFT + i * band + band * 0.1;
    series.forEach((s, k) => {
      const v = s.shares[c] ?? 0;
      parts.push(`<rect x="${fmt(x + k * barW)}" y="${fmt(y(v))}" width="${fmt(barW)}" height="${fmt(y(0) - y(v))}" fill="${CHART_PALETTE[k % CHART_PALETTE.length]}"/>`);
    });
    const label = categories[c].length > 14 ? `${categories[c].slice(0, 13)}…` : categories[c];
    const cx = fmt(x + band * 0.4);
    parts.push(`<text x="${cx}" y="${TOP + plotH + 12}" text-anchor="end" transform="rotate(-40 ${cx} ${TOP + plotH + 12})">${escapeXml(label)}</text>`);
  });
  parts.push(`<rect x="${LEFT}" y="${TOP}" width="${plotW}" height="${plotH}" fill="none" stroke="#333333"/>`);
  parts.push(`<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  if (shown.length < categories.length) parts.push(`<text x="${LEFT + plotW}" y="${HEIGHT - 8}" text-anchor="end">${escapeXml(`${categories.length - shown.length} more categories not shown`)}</text>`);
  parts.push(`<text x="${LEFT + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  parts.push(`<text x="16" y="${TOP + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${TOP + plotH / 2})">${escapeXml(yLabel)}</text>`);
  return parts.join('\n');
}
