import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// Type-only imports load nothing at run time, so they cannot start DynamoDB Local, a browser or
// the emulator: `import type …` and `export type …` are left out; `import { type A, b }` is not.
const STATIC = /(?:^|\n)\s*(?:import|export)(?!\s+type\s)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g;
const BARE = /(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

// Read once per process: the suite's files share most of what they load.
const texts = new Map<string, string>();

/** The repository's text of a file (by its path from the root), or '' if there is none. */
export const textOf = (file: string): string => {
  let text = texts.get(file);
  if (text === undefined) {
    const path = join(ROOT, file);
    text = existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : '';
    texts.set(file, text);
  }
  return text;
};

/**
 * A specifier as a repository path (`test/support/table.ts`), or as written for a package
 * (`playwright-core`, `node:child_process`).
 */
const resolveSpecifier = (from: string, specifier: string): string => {
  if (!specifier.startsWith('.')) return specifier;
  const path = relative(ROOT, resolve(ROOT, dirname(from), specifier))
    .split('\\')
    .join('/');
  const ts = path.replace(/\.js$/, '.ts');
  if (existsSync(join(ROOT, ts)) && statSync(join(ROOT, ts)).isFile()) return ts;
  if (existsSync(join(ROOT, `${path}.ts`))) return `${path}.ts`;
  if (existsSync(join(ROOT, path, 'index.ts'))) return posix.join(path, 'index.ts');
  return path;
};

const importsCache = new Map<string, string[]>();

/** What a file imports for its values: static, bare (`import 'x'`) and literal dynamic imports. */
export const valueImportsOf = (file: string): string[] => {
  const cached = importsCache.get(file);
  if (cached) return cached;
  const text = textOf(file);
  const imports = [STATIC, BARE, DYNAMIC].flatMap((pattern) =>
    [...text.matchAll(pattern)].map((match) => resolveSpecifier(file, match[1] as string)),
  );
  importsCache.set(file, imports);
  return imports;
};

/**
 * Every module a file loads, itself included, as a map from each repository file reached to what it
 * imports. Packages are leaves: their own imports are theirs, not the repository's.
 */
export const reachedFrom = (file: string): Map<string, string[]> => {
  const reached = new Map<string, string[]>();
  const queue = [file];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    if (reached.has(next)) continue;
    const imports = valueImportsOf(next);
    reached.set(next, imports);
    queue.push(...imports.filter((to) => to.endsWith('.ts') && !reached.has(to)));
  }
  return reached;
};
