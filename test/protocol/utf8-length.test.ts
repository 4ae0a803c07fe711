import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from '../../src/protocol/utf8-length.js';

/** Any UTF-16 code units, lone surrogates included: what a hostile frame may hold. */
const anyUnits = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 64 })
  .map((units) => String.fromCharCode(...units));

describe('utf8Length', () => {
  it('counts what Buffer.byteLength counts, for any code units', () => {
    fc.assert(
      fc.property(anyUnits, (text) => {
        expect(utf8Length(text)).toBe(Buffer.byteLength(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('counts each width of UTF-8 and a lone surrogate at the end', () => {
    expect(['a', 'é', '€', '😀', '\ud83d', '\ude00'].map(utf8Length)).toEqual([1, 2, 3, 4, 3, 3]);
  });
});
