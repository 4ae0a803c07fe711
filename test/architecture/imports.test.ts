import { describe, expect, it } from 'vitest';
import { findCycle } from '../support/find-cycle.js';
import { importsOf, read, sourceFiles } from './source-files.js';

type Graph = Map<string, string[]>;

/**
 * The layers of src/, from the bottom: a part may import its own layer and those below, never
 * one above (type imports count). The wire protocol and the log know nothing of the chat; the
 * store knows only the protocol; the AWS clients (outbound/) know neither the routes nor how a
 * room is posted to; an invocation's context sits on them; the chat's behaviours (broadcast,
 * presence, budgets, moderation) use the context; routes are entry points; the router dispatches.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['protocol', 'log'],
  ['metrics', 'store'],
  ['config', 'auth', 'outbound'],
  ['deps', 'context', 'reply'],
  ['broadcast', 'presence', 'budgets', 'moderation'],
  ['routes'],
  ['router'],
];

/** A file's part: its folder under src/, or its own name for a file directly in src/. */
const partOf = (file: string) => (file.split('/')[1] ?? '').replace(/\.ts$/, '');

const layerOf = (file: string) => LAYERS.findIndex((layer) => layer.includes(partOf(file)));

const graphOf = (files: string[]): Graph =>
  new Map(files.map((file) => [file, importsOf(file).filter((to) => files.includes(to))]));

describe('the import graph', () => {
  it('has no cycles in src/ or local/, type imports included', () => {
    expect(findCycle(graphOf([...sourceFiles('src'), ...sourceFiles('local')]))).toBeUndefined();
  });

  it('would report a cycle, however long', () => {
    const graph: Graph = new Map([
      ['deps', ['invoker']],
      ['invoker', ['replay']],
      ['replay', ['deps']],
      ['leaf', []],
    ]);
    expect(findCycle(graph)).toEqual(['deps', 'invoker', 'replay', 'deps']);
  });

  it('keeps the wire protocol apart from the store: src/protocol/ imports nothing of src/store/', () => {
    const reaching = sourceFiles('src/protocol').filter((file) =>
      importsOf(file).some((to) => to.startsWith('src/store/')),
    );
    expect(reaching).toEqual([]);
  });

  it('runs one way: each part of src/ imports only its own layer or those below it', () => {
    const upward = sourceFiles('src').flatMap((file) =>
      importsOf(file)
        .filter((to) => to.startsWith('src/') && layerOf(to) > layerOf(file))
        .map((to) => `${file} -> ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it('places every part of src/ in a layer', () => {
    const unplaced = sourceFiles('src').filter((file) => layerOf(file) < 0);
    expect(unplaced).toEqual([]);
  });

  it('would report an import that reaches up a layer', () => {
    expect(layerOf('src/outbound/post-with-retry.ts')).toBeLessThan(layerOf('src/context.ts'));
    expect(layerOf('src/broadcast/fan-out.ts')).toBeLessThan(layerOf('src/routes/sendmessage.ts'));
    expect(layerOf('src/router/table.ts')).toBe(LAYERS.length - 1);
  });

  it('reaches the store only through its index: its folders are its own', () => {
    const reaching = sourceFiles('src').filter(
      (file) =>
        !file.startsWith('src/store/') &&
        importsOf(file).some((to) => to.startsWith('src/store/') && to !== 'src/store/index.ts'),
    );
    expect(reaching).toEqual([]);
  });

  it('lets only src/store/ use the DynamoDB SDK', () => {
    const others = sourceFiles('src').filter(
      (file) =>
        !file.startsWith('src/store/') &&
        /from '@aws-sdk\/(client-dynamodb|lib-dynamodb|util-dynamodb)'/.test(read(file)),
    );
    expect(others).toEqual([]);
  });
});
