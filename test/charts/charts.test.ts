import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineChart, scatterChart } from '../../src/charts/index.js';
import { niceTicks } from '../../src/charts/ticks.js';
import { escapeXml } from '../../src/charts/escape.js';
import { InputError } from '../../src/errors.js';

/** Text nodes and attribute values of our SVG never contain a raw '<' or '&' not starting an entity. */
function assertWellFormedish(svg: string): void {
  expect(svg.startsWith('<?xml')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const withoutTags = svg.replace(/<[^<>]*>/g, '');
  expect(withoutTags).not.toMatch(/[<>]/);
  expect(withoutTags).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
  // every opened element is closed
  const open = (svg.match(/<(text|title|svg)[\s>]/g) ?? []).length;
  const close = (svg.match(/<\/(text|title|svg)>/g) ?? []).length;
  expect(open).toBe(close);
}

describe('lineChart', () => {
  it('draws one path per series with a legend entry and escaped labels', () => {
    const svg = lineChart({
      title: 'ROC <AUC & "x">',
      xLabel: 'false positive rate',
      yLabel: 'true positive rate',
      series: [
        { name: 'model', points: [[0, 0], [0.2, 0.7], [1, 1]] },
        { name: 'chance', points: [[0, 0], [1, 1]] },
      ],
    });
    assertWellFormedish(svg);
    expect((svg.match(/<path /g) ?? []).length).toBe(2);
    expect(svg).toContain('ROC &lt;AUC &amp; &quot;x&quot;&gt;');
    expect(svg).toContain('>chance</text>');
  });

  it('breaks lines at non-finite points and survives empty or constant data', () => {
    const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[0, 1], [1, NaN], [2, 1]] }] });
    const d = svg.match(/<path d="([^"]+)"/)![1];
    expect(d.match(/M/g)!.length).toBe(2);
    assertWellFormedish(lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [] }));
    expect(svg).not.toContain('NaN');
  });

  it('rejects a non-array series with InputError', () => {
    expect(() => lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: null as never })).toThrow(InputError);
  });

  it('any text and any numbers give a well-formed document (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.tuple(fc.double(), fc.double()), { maxLength: 20 }),
        (text, pts) => {
          const svg = lineChart({ title: text, xLabel: text, yLabel: text, series: [{ name: text, points: pts }] });
          assertWellFormedish(svg);
          expect(svg).not.toMatch(/="[^"]*(NaN|Infinity)/);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('scatterChart', () => {
  it('colours by group in order of first appearance', () => {
    const svg = scatterChart({
      title: 'PCA',
      xLabel: 'PC1',
      yLabel: 'PC2',
      points: [
        { x: 0, y: 0, group: 'b' },
        { x: 1, y: 1, group: 'a' },
        { x: 2, y: 0.5, group: 'b' },
      ],
    });
    assertWellFormedish(svg);
    const circles = svg.match(/<circle [^>]+>/g)!;
    expect(circles).toHaveLength(3);
    expect(circles[0]).toContain('#0072B2');
    expect(circles[1]).toContain('#E69F00');
    expect(circles[2]).toContain('#0072B2');
    expect(svg.indexOf('>b</text>')).toBeLessThan(svg.indexOf('>a</text>'));
  });

  it('is well-formed for hostile group names (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ x: fc.double(), y: fc.double(), group: fc.string() }), { maxLength: 30 }), (points) => {
        assertWellFormedish(scatterChart({ title: '__proto__', xLabel: 'constructor', yLabel: '<y>', points }));
      }),
      { numRuns: 300 },
    );
  });
});

describe('helpers', () => {
  it('niceTicks covers the range with round steps', () => {
    expect(niceTicks(0, 9.3, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(3, 3).length).toBeGreaterThanOrEqual(2);
    expect(niceTicks(0.1, 0.35, 5)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  });
  it('escapeXml drops control characters and lone surrogates', () => {
    expect(escapeXml('a\u0000b\ud800c')).toBe('abc');
  });
});
