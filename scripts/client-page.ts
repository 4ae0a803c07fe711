/**
 * The browser client as shipped: client/page.html with client/style.css and the bundled
 * client/main.ts inlined, and its CSP hashes for them. Not minified, so a person can read it.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { withFreshHashes } from './csp.js';

const root = new URL('..', import.meta.url);
const source = (path: string) => readFile(new URL(`client/${path}`, root), 'utf8');

/** Where the template takes each inline block. */
const STYLE_TAG = '<link rel="stylesheet" href="./style.css">';
const SCRIPT_TAG = '<script src="./main.ts"></script>';

const bundle = async () => {
  const result = await build({
    absWorkingDir: fileURLToPath(root),
    entryPoints: ['client/main.ts'],
    bundle: true,
    format: 'iife',
    // Any browser of recent years: the syntax is kept as written (only types are removed).
    target: 'es2022',
    charset: 'utf8',
    legalComments: 'none',
    banner: { js: '// Built from client/*.ts by `npm run build:client`: edit those, not this.' },
    write: false,
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error('esbuild wrote no bundle for client/main.ts');
  return file.text;
};

/** Replaces `tag` (exactly once in the template) with `block`. */
const inline = (html: string, tag: string, block: string) => {
  const parts = html.split(tag);
  if (parts.length !== 2) throw new Error(`client/page.html must hold ${tag} exactly once`);
  return parts.join(block);
};

/** The text of the top-level client.html, built from client/. */
export const buildClientPage = async () => {
  const [template, style, script] = await Promise.all([
    source('page.html'),
    source('style.css'),
    bundle(),
  ]);
  const page = inline(
    inline(template, STYLE_TAG, `<style>\n${style}</style>`),
    SCRIPT_TAG,
    `<script>\n${script}</script>`,
  );
  return withFreshHashes(page);
};
