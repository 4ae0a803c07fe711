import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStackMapper } from '../../src/router/source-mapped-stack.js';

const dir = mkdtempSync(join(tmpdir(), 'stack-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A minified bundle, with its map beside it, of a source that throws on line 3, and the stack V8
 * gives for it without source maps (built by hand: the test runner maps stacks of its own).
 */
const bundleThrowing = async (name: string, withMap: boolean) => {
  const source = join(dir, `${name}.ts`);
  writeFileSync(
    source,
    [
      'export const fail = (why: string): never => {',
      "  const reason = 'failed: ' + why;",
      '  throw new Error(reason);',
      '};',
      '',
    ].join('\n'),
  );
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    minify: true,
    sourcemap: withMap,
    sourcesContent: false,
    logLevel: 'silent',
  });
  const url = pathToFileURL(outfile).href;
  const code = readFileSync(outfile, 'utf8');
  const column = code.indexOf('throw new Error') + 1;
  expect(column).toBeGreaterThan(0);
  const stack = `Error: failed: on purpose\n    at n (${url}:1:${column})\n    at node:internal/x:1:1`;
  return { url, stack };
};

let mapped: Awaited<ReturnType<typeof bundleThrowing>>;
let unmapped: Awaited<ReturnType<typeof bundleThrowing>>;
beforeAll(async () => {
  mapped = await bundleThrowing('with-map', true);
  unmapped = await bundleThrowing('without-map', false);
});

describe('a logged stack', () => {
  it('points at the source line that threw, not at the minified bundle', async () => {
    const stack = await createStackMapper(mapped.url)(mapped.stack);
    expect(stack.split('\n')).toEqual([
      'Error: failed: on purpose',
      '    at n (with-map.ts:3:3)',
      '    at node:internal/x:1:1',
    ]);
  });

  it('stays as it is without a map beside the module, or when none of its frames is in the module', async () => {
    expect(await createStackMapper(unmapped.url)(unmapped.stack)).toBe(unmapped.stack);
    const elsewhere = 'Error: x\n    at f (file:///somewhere/else.mjs:1:10)';
    expect(await createStackMapper(mapped.url)(elsewhere)).toBe(elsewhere);
  });

  it('maps every later stack with the map read once', async () => {
    // A bundle of its own: the map it deletes is one the other tests still read.
    const once = await bundleThrowing('read-once', true);
    const mapper = createStackMapper(once.url);
    const first = await mapper(once.stack);
    expect(first).toContain('read-once.ts:3:3');
    rmSync(`${join(dir, 'read-once.mjs')}.map`);
    expect(await mapper(once.stack)).toBe(first);
  });
});
