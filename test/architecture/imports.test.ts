import { describe, expect, it } from 'vitest';
import { findCycle } from '../support/find-cycle.js';
import { importsOf, read, sourceFiles } from './source-files.js';

type Graph = Map<string, string[]>;

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

  it('lets only src/store/ use the DynamoDB SDK', () => {
    const others = sourceFiles('src').filter(
      (file) =>
        !file.startsWith('src/store/') &&
        /from '@aws-sdk\/(client-dynamodb|lib-dynamodb|util-dynamodb)'/.test(read(file)),
    );
    expect(others).toEqual([]);
  });
});
