import { readFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A stack trace with the bundle's frames pointing at the sources they were built from. */
export type StackMapper = (stack: string) => Promise<string>;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Maps the frames of a stack that point into the module at `moduleUrl`
 * (`file:///var/task/index.mjs:66:19645`) to their sources (`../../src/router/table.ts:54:38`),
 * with the source map beside the module (`index.mjs.map`). The map is read on the first stack that
 * needs it and kept: a container pays for it (about 60 ms, docs/benchmarks.md#cold-start) only if
 * it logs an unexpected error, where `--enable-source-maps` made every cold start read it. Without
 * a map (the sources run as they are, under tsx or the emulator) the stack is left as it is.
 */
export const createStackMapper = (moduleUrl: string): StackMapper => {
  const frame = new RegExp(`${escapeRegExp(moduleUrl)}:(\\d+):(\\d+)`, 'g');
  let map: Promise<SourceMap | undefined> | undefined;
  const load = async () => {
    try {
      const mapFile = `${fileURLToPath(moduleUrl)}.map`;
      return new SourceMap(JSON.parse(await readFile(mapFile, 'utf8')));
    } catch {
      return undefined;
    }
  };
  return async (stack) => {
    frame.lastIndex = 0;
    if (!frame.test(stack)) return stack;
    map ??= load();
    const sourceMap = await map;
    if (!sourceMap) return stack;
    return stack.replace(frame, (whole, line: string, column: string) => {
      const origin = sourceMap.findOrigin(Number(line), Number(column));
      return 'fileName' in origin
        ? `${origin.fileName}:${origin.lineNumber}:${origin.columnNumber}`
        : whole;
    });
  };
};

/** The mapper for this module's own file: in the deployed function, the bundle. */
export const mapStackToSources = createStackMapper(import.meta.url);
