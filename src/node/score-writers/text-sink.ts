import type { Writable } from 'node:stream';
import { float32Text } from '../../features/float32-text.js';
import type { ScoreCell } from '../score-input.js';
import { csvCell, jsonCell } from '../score-output.js';
import type { ScoreSink, ScoreValues } from './score-sink.js';
import { writeWithBackpressure } from './write-bytes.js';

/**
 * A CSV or JSONL sink: one line per row, the id cells then the scores. Numbers of kind
 * `float32` are the shortest text that reads back as the same float32 (the file holds
 * exactly what XGBoost returned); other numbers are JavaScript's shortest round-trip text,
 * as `retail-ml predict` writes them. JSON has no NaN: a NaN score is `null` there.
 *
 * @example
 * const sink = createTextSink('csv', process.stdout, ['customer_id', 'value'], 1, true);
 * await sink.write([['c1']], { kind: 'float32', width: 1, data: Float32Array.of(0.5) }); // c1,0.5
 */
export function createTextSink(format: 'csv' | 'jsonl', output: Writable, names: readonly string[], numIds: number, header: boolean): ScoreSink {
  let wroteHeader = !header || format === 'jsonl';
  const writeHeader = async () => {
    if (wroteHeader) return;
    wroteHeader = true;
    await writeWithBackpressure(output, names.map(csvCell).join(',') + '\n');
  };
  const keys = names.map((name) => JSON.stringify(name) + ':');
  return {
    async write(ids, values) {
      await writeHeader();
      const text = format === 'csv' ? csvLines(ids, values, numIds) : jsonLines(ids, values, numIds, keys);
      await writeWithBackpressure(output, text);
    },
    finish: writeHeader,
  };
}

function csvLines(ids: readonly (readonly ScoreCell[])[], values: ScoreValues, numIds: number): string {
  const { width, data, kind } = values;
  let text = '';
  for (let r = 0; r < ids.length; r++) {
    let line = '';
    for (let i = 0; i < numIds; i++) line += csvCell(ids[r][i]) + ',';
    for (let k = 0; k < width; k++) {
      const v = data[r * width + k];
      line += (k > 0 ? ',' : '') + (kind === 'float32' ? float32Text(v as number) : csvCell(v));
    }
    text += line + '\n';
  }
  return text;
}

function jsonLines(ids: readonly (readonly ScoreCell[])[], values: ScoreValues, numIds: number, keys: readonly string[]): string {
  const { width, data, kind } = values;
  let text = '';
  for (let r = 0; r < ids.length; r++) {
    const parts: string[] = [];
    for (let i = 0; i < numIds; i++) parts.push(keys[i] + jsonCell(ids[r][i]));
    for (let k = 0; k < width; k++) {
      const v = data[r * width + k];
      // JSON has no NaN or Infinity.
      const cell = typeof v === 'number' ? (Number.isFinite(v) ? (kind === 'float32' ? float32Text(v) : String(v)) : 'null') : JSON.stringify(v);
      parts.push(keys[numIds + k] + cell);
    }
    text += `{${parts.join(',')}}\n`;
  }
  return text;
}
