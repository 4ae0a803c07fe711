import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The TypeScript files below a folder of the repository, as paths relative to its root. */
export const sourceFiles = (folder: string): string[] =>
  readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();

export const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.[^'"]+)['"]/g;

/** The repository files a file imports or re-exports from (type-only imports included). */
export const importsOf = (file: string): string[] =>
  [...read(file).matchAll(SPECIFIER)].map((match) =>
    relative(ROOT, resolve(ROOT, dirname(file), (match[1] as string).replace(/\.js$/, '.ts'))),
  );
