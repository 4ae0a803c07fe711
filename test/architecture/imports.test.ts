import { describe, expect, it } from 'vitest';
import { importsOf, read, sourceFiles } from './source-files.js';

type Graph = Map<string, string[]>;

/** The import cycles of a graph, each as the files that form it (Tarjan's strong components). */
const cyclesIn = (graph: Graph): string[][] => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.size - 1);
    stack.push(file);
    for (const to of graph.get(file) ?? []) {
      if (!index.has(to)) visit(to);
      if (stack.includes(to)) {
        low.set(file, Math.min(low.get(file) as number, low.get(to) as number));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component = stack.splice(stack.indexOf(file));
      if (component.length > 1 || graph.get(file)?.includes(file)) cycles.push(component);
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
};

const graphOf = (files: string[]): Graph =>
  new Map(files.map((file) => [file, importsOf(file).filter((to) => files.includes(to))]));

describe('the import graph', () => {
  it('has no cycles in src/ or local/, type imports included', () => {
    expect(cyclesIn(graphOf([...sourceFiles('src'), ...sourceFiles('local')]))).toEqual([]);
  });

  it('would report a cycle, however long', () => {
    const graph: Graph = new Map([
      ['deps', ['invoker']],
      ['invoker', ['replay']],
      ['replay', ['deps']],
      ['leaf', []],
    ]);
    expect(cyclesIn(graph)).toEqual([['deps', 'invoker', 'replay']]);
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
