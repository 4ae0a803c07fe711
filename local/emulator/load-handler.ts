import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Handler } from './invoke.js';

let loads = 0;

/** A handler spec `path/to/module.ts#exportName` split into its file and export (`handler`). */
export const parseSpec = (spec: string) => {
  const hash = spec.lastIndexOf('#');
  return {
    file: hash === -1 ? spec : spec.slice(0, hash),
    exportName: hash === -1 ? 'handler' : spec.slice(hash + 1),
  };
};

/** The handler a loaded module exports as `exportName`; a clear error when there is none. */
export const pickExport = (
  module: Record<string, unknown>,
  file: string,
  exportName: string,
): Handler => {
  // A CommonJS module's exports arrive as `default`.
  const candidate =
    module[exportName] ?? (module.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof candidate !== 'function') {
    const found = Object.keys(module).join(', ') || 'none';
    throw new Error(`${file} has no function export "${exportName}" (exports: ${found})`);
  }
  return candidate as Handler;
};

/**
 * Loads a handler into this process (the in-process runtime): resolves the spec relative to the
 * working directory, with a dynamic `import()` so it runs after the emulator has set the
 * environment. Each load evaluates the entry module afresh (a cold start), so module-level state
 * such as a cached `CALLBACK_URL` belongs to this emulator, not an earlier one in the process.
 */
export const loadHandler = async (spec: Handler | string): Promise<Handler> => {
  if (typeof spec === 'function') return spec;
  const { file, exportName } = parseSpec(spec);
  const url = pathToFileURL(resolve(file));
  url.searchParams.set('emulator-load', String(++loads));
  return pickExport((await import(url.href)) as Record<string, unknown>, file, exportName);
};
