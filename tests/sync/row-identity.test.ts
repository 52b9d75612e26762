/** functions/sync/row-identity.ts: when two intake rows ask for the same bid. */
import fc from 'fast-check';
import { canonicalJson } from '../../functions/sync/canonical-json';
import { rowContentKeys } from '../../functions/sync/row-identity';
import { bidBody } from '../support/fund';

const input = bidBody;

describe('canonicalJson', () => {
  it('ignores key order and undefined members, at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('rowContentKeys', () => {
  it('gives equal bids equal keys, numbering repeats within a file', () => {
    const [a1, b, a2, a3] = rowContentKeys([input(), input({ requestedPence: 100_002 }), { ...input(), submit: true }, input()]);
    const digest = (key: string | undefined) => key?.split('.')[0];
    expect(digest(a1)).toBe(digest(a2));
    expect(digest(a1)).toBe(digest(a3));
    expect(digest(b)).not.toBe(digest(a1));
    expect([a1, a2, a3].map((k) => k?.split('.')[1])).toEqual(['1', '2', '3']);
    expect(b?.endsWith('.1')).toBe(true);
  });

  it('is the same whatever file the rows come from (keys depend only on the bids asked for)', () => {
    const one = rowContentKeys([input({ title: 'X' }), input()]);
    const other = rowContentKeys([input(), input({ crimeTypes: ['cyber'] }), input({ title: 'X' })]);
    expect(other[0]).toBe(one[1]);
    expect(other[2]).toBe(one[0]);
    expect(other[1]).not.toBe(one[1]);
  });
});
