import { describe, expect, it } from 'vitest';
import { ROUTE_KEYS } from '../../src/protocol/routes.js';
import { read, sourceFiles } from './source-files.js';

/** Every file that ships or serves the chat (the tests may spell values out to check them). */
const files = ['src', 'local', 'infra', 'scripts', 'bench', 'client'].flatMap(sourceFiles);

const quoted = ROUTE_KEYS.map((key) => `'${key.replace('$', '\\$')}'`).join('|');
/** A list literal naming two or more route keys: a second list of the routes. */
const ROUTE_LIST = new RegExp(`\\[\\s*(${quoted})\\s*,\\s*(${quoted})`);
/** A size in KiB spelled out: `16 * 1024`, `32 * 1024`, `128 * 1024`. */
const KIB = /\b(16|32|128) \* 1024\b/;

describe('the protocol, defined once', () => {
  it('lists the route keys only in src/protocol/routes.ts', () => {
    const lists = files.filter((file) => ROUTE_LIST.test(read(file)));
    expect(lists).toEqual(['src/protocol/routes.ts']);
  });

  it('spells out the gateway’s and the chat’s sizes only in src/protocol/limits.ts', () => {
    const sizes = files.filter((file) => KIB.test(read(file)));
    expect(sizes).toEqual(['src/protocol/limits.ts']);
  });
});
