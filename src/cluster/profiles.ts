import { InputError } from '../errors.js';
import { toDenseMatrix, type MatrixInput } from '../preprocess/matrix.js';
import { median } from '../preprocess/quantile.js';

/** One attribute within one cluster. */
export interface AttributeProfile {
  name: string;
  mean: number;
  median: number;
  /** (cluster mean − overall mean) / overall standard deviation: how far the segment stands out. */
  standardizedDifference: number;
}

/** Summary of one cluster for naming it. */
export interface ClusterProfile {
  cluster: number;
  size: number;
  share: number;
  attributes: AttributeProfile[];
  /** Names of the attributes with the largest |standardizedDifference|, largest first. */
  distinguishing: string[];
}

/**
 * Mean and median of each attribute per cluster, and the attributes that set each cluster
 * apart (largest standardised difference from the overall mean), so a marketer can name it.
 *
 * @example
 * clusterProfiles(rows, labels, ['Income', 'Age'])[0].distinguishing // => ['Income', 'Age']
 */
export function clusterProfiles(input: MatrixInput, labels: ArrayLike<number>, names: readonly string[], top = 3): ClusterProfile[] {
  const m = toDenseMatrix(input, names.length, 'clusterProfiles');
  if (labels.length !== m.rows) throw new InputError(`clusterProfiles: ${labels.length} labels for ${m.rows} rows`);
  const { data, rows, cols } = m;
  const k = rows === 0 ? 0 : Math.max(...Array.from(labels)) + 1;
  const overallMean = new Float64Array(cols);
  const overallSd = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += data[i * cols + j];
    overallMean[j] = s / rows;
    let v = 0;
    for (let i = 0; i < rows; i++) v += (data[i * cols + j] - overallMean[j]) ** 2;
    overallSd[j] = Math.sqrt(v / rows);
  }
  const out: ClusterProfile[] = [];
  for (let c = 0; c < k; c++) {
    const members: number[] = [];
    for (let i = 0; i < rows; i++) {
      if (!Number.isInteger(labels[i]) || labels[i] < 0) throw new InputError(`clusterProfiles: label ${i} must be a non-negative integer`);
      if (labels[i] === c) members.push(i);
    }
    const attributes: AttributeProfile[] = names.map((name, j) => {
      const values = members.map((i) => data[i * cols + j]);
      const mean = values.reduce((a, b) => a + b, 0) / (values.length || 1);
      return {
        name,
        mean: values.length ? mean : NaN,
        median: median(values),
        standardizedDifference: overallSd[j] > 0 && values.length ? (mean - overallMean[j]) / overallSd[j] : 0,
      };
    });
    const distinguishing = [...attributes]
      .sort((a, b) => Math.abs(b.standardizedDifference) - Math.abs(a.standardizedDifference))
      .slice(0, top)
      .map((a) => a.name);
    out.push({ cluster: c, size: members.length, share: members.length / rows, attributes, distinguishing });
  }
  return out;
}

/**
 * A fixed-width text table of cluster means (medians in brackets), one row per attribute,
 * plus each cluster's distinguishing attributes (↑ above / ↓ below average).
 *
 * @example
 * console.log(formatProfiles(clusterProfiles(rows, labels, names)));
 */
export function formatProfiles(profiles: readonly ClusterProfile[]): string {
  if (profiles.length === 0) return '';
  const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
  const header = ['attribute', ...profiles.map((p) => `cluster ${p.cluster} (n=${p.size})`)];
  const lines = profiles[0].attributes.map((a, j) => [a.name, ...profiles.map((p) => `${fmt(p.attributes[j].mean)} [${fmt(p.attributes[j].median)}]`)]);
  const table = [header, ...lines];
  const widths = header.map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const text = table.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
  const notes = profiles.map(
    (p) =>
      `cluster ${p.cluster}: ` +
      p.distinguishing
        .map((name) => {
          const a = p.attributes.find((x) => x.name === name)!;
          return `${name} ${a.standardizedDifference >= 0 ? '↑' : '↓'}${Math.abs(a.standardizedDifference).toFixed(2)}σ`;
        })
        .join(', '),
  );
  return `${text}\n\n${notes.join('\n')}\n`;
}
