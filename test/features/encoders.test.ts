import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { LabelEncoder, OneHotEncoder, Table, compareCategories, type OneHotEncoderOptions } from '../../src/features/index.js';

const fixture = JSON.parse(readFileSync('models/features/sklearn/encoders.json', 'utf8'));

describe('OneHotEncoder matches scikit-learn 1.2.1', () => {
  for (const c of fixture.oneHot) {
    it(`${c.name}: imported encoder transforms like sklearn`, () => {
      const enc = OneHotEncoder.fromJSON(c.encoder);
      expect(enc.featureNamesOut).toEqual(c.featureNamesOut);
      const test = Table.fromRows(c.testRows);
      const width = enc.featureNamesOut.length;
      const got = enc.transform(test);
      const rows = Array.from({ length: test.numRows }, (_, r) => Array.from(got.subarray(r * width, (r + 1) * width)));
      expect(rows).toEqual(c.expected);
    });
    it(`${c.name}: fitting here gives sklearn's categories and drops`, () => {
      const options: OneHotEncoderOptions = { handleUnknown: c.options.handleUnknown, drop: c.options.drop };
      const enc = OneHotEncoder.fit(Table.fromRows(c.fitRows), c.encoder.features, options);
      expect(enc.toJSON()).toEqual(c.encoder);
      expect(OneHotEncoder.fromJSON(JSON.parse(JSON.stringify(enc))).toJSON()).toEqual(c.encoder);
    });
  }

  it('handle_unknown error names the category and the feature', () => {
    const enc = OneHotEncoder.fromJSON(fixture.oneHot[1].encoder);
    expect(() => enc.encodeRow(['Paris', 1])).toThrow(/unknown category "Paris" for 'city'/);
  });

  it('transformTable replaces the encoded columns in place', () => {
    const t = Table.fromRows([{ age: 35, location: 'Delhi', days: 30 }, { age: 20, location: 'Pune', days: 1 }]);
    const enc = OneHotEncoder.fromJSON(fixture.oneHot[0].encoder);
    const out = enc.transformTable(t);
    expect(out.columnNames).toEqual(['age', 'location_Bangalore', 'location_Delhi', 'location_Hyderabad', 'location_Mumbai', 'days']);
    expect(out.numbers('location_Delhi')).toEqual(Float64Array.of(1, 0));
    expect(out.numbers('location_Mumbai')).toEqual(Float64Array.of(0, 0));
  });

  it('malformed JSON is an InputError', () => {
    const good = fixture.oneHot[0].encoder;
    for (const bad of [null, 1, { ...good, type: 'X' }, { ...good, features: [1] }, { ...good, categories: [[{}]] },
      { ...good, handleUnknown: 'maybe' }, { ...good, dropIndices: [7] }, { ...good, categories: [['a', 'a']] }, { ...good, features: ['a', 'b'] }]) {
      expect(() => OneHotEncoder.fromJSON(bad)).toThrow(InputError);
    }
  });

  it('category names such as __proto__ are ordinary categories', () => {
    const enc = OneHotEncoder.fromCategories(['k'], [['__proto__', 'constructor']]);
    expect(enc.encodeRow(['constructor'])).toEqual(Float64Array.of(0, 1));
    expect(() => enc.encodeRow(['toString'])).toThrow(InputError);
  });
});

describe('LabelEncoder matches scikit-learn 1.2.1', () => {
  for (const c of fixture.label) {
    it(c.name, () => {
      const le = LabelEncoder.fit(c.fit);
      expect(le.classes).toEqual(c.classes);
      expect(Array.from(le.transform(c.probe))).toEqual(c.codes);
      expect(le.inverseTransform(c.codes)).toEqual(c.probe);
      expect(LabelEncoder.fromJSON(JSON.parse(JSON.stringify(le))).classes).toEqual(c.classes);
    });
  }
  it('unseen labels and bad codes are InputErrors', () => {
    const le = LabelEncoder.fromClasses(['Books', 'Clothing', 'Electronics', 'Home']);
    expect(() => le.encode('Toys')).toThrow(InputError);
    expect(() => le.decode(4)).toThrow(InputError);
    expect(() => le.decode(1.5)).toThrow(InputError);
    expect(() => LabelEncoder.fit(['a', null])).toThrow(InputError);
    expect(() => LabelEncoder.fit(['a', 1])).toThrow(InputError);
  });
});

describe('category order', () => {
  it('sorts strings by code point, like Python (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        const byCodePoint = Math.sign(compareCategories(a, b));
        const pa = [...a].map((ch) => ch.codePointAt(0)!);
        const pb = [...b].map((ch) => ch.codePointAt(0)!);
        let expected = 0;
        for (let i = 0; i < Math.min(pa.length, pb.length) && expected === 0; i++) expected = Math.sign(pa[i] - pb[i]);
        if (expected === 0) expected = Math.sign(pa.length - pb.length);
        expect(byCodePoint).toBe(expected);
      }),
    );
  });
});
