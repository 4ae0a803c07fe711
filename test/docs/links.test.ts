import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsOf, relativeLinksOf, slugOf } from './markdown.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const markdownIn = (folder: string) =>
  readdirSync(join(ROOT, folder))
    .filter((name) => name.endsWith('.md'))
    .map((name) => posix.join(folder, name));

/** The pages a reader opens: the README (and any page beside it) and every document in docs/. */
const PAGES = [...markdownIn('.'), ...markdownIn('docs')];

/** The folders whose comments cite the documents. */
const CODE_FOLDERS = ['src', 'local', 'client', 'infra', 'scripts', 'bench', 'test'];
const TEXT_FILE = /\.(ts|tsx|js|mjs|cjs|json|html|css|java|sh)$/;
// The citation check names the old design document in its own pattern.
const THIS_FILE = relative(ROOT, fileURLToPath(import.meta.url))
  .split('\\')
  .join('/');

const codeFiles = () =>
  CODE_FOLDERS.flatMap((folder) =>
    readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && TEXT_FILE.test(entry.name))
      .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'))
      .filter((file) => !file.includes('node_modules/')),
  );

/** Why a link from `page` to `target` does not resolve, or undefined when it does. */
const brokenLink = (page: string, target: string): string | undefined => {
  const hash = target.indexOf('#');
  const path = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? undefined : target.slice(hash + 1);
  const file = path ? posix.normalize(posix.join(posix.dirname(page), decodeURI(path))) : page;
  if (file.startsWith('../')) return 'it leaves the repository';
  if (!existsSync(join(ROOT, file))) return `no file ${file}`;
  if (anchor === undefined || !file.endsWith('.md')) return undefined;
  return anchorsOf(read(file)).has(anchor) ? undefined : `${file} has no heading #${anchor}`;
};

describe('the documents', () => {
  it('link only to files of the repository and to headings those files have', () => {
    const broken = PAGES.flatMap((page) =>
      relativeLinksOf(read(page)).flatMap((target) => {
        const why = brokenLink(page, target);
        return why ? [`${page}: ${target}: ${why}`] : [];
      }),
    );
    expect(broken).toEqual([]);
  });

  it('are cited from the code only at documents and headings that exist', () => {
    const broken = codeFiles().flatMap((file) =>
      [...read(file).matchAll(/(?<![\w/.-])docs\/[\w.-]+\.md(?:#[\w-]+)?/g)].flatMap(
        ([citation]) => {
          // A citation names its document from the repository's root, as the README does.
          const why = brokenLink('README.md', citation);
          return why ? [`${file}: ${citation}: ${why}`] : [];
        },
      ),
    );
    expect(broken).toEqual([]);
  });

  it('are what the code cites, not the design document that is not in the repository', () => {
    const citing = codeFiles().filter((file) => file !== THIS_FILE && /\bSPEC\b/.test(read(file)));
    expect(citing).toEqual([]);
  });

  it('keep the README short enough to read in five minutes', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(220);
  });
});

describe('the link check', () => {
  it('anchors a heading as GitHub does: lower case, punctuation dropped, spaces as hyphens', () => {
    expect(slugOf('Busy rooms: messages in batches')).toBe('busy-rooms-messages-in-batches');
    expect(slugOf('The `session` frame')).toBe('the-session-frame');
    expect(slugOf('Presence and typing in a 1,000-member room')).toBe(
      'presence-and-typing-in-a-1000-member-room',
    );
    expect(slugOf("Storms: crowds on `npm start`'s default runtime (issue 24)")).toBe(
      'storms-crowds-on-npm-starts-default-runtime-issue-24',
    );
  });

  it('numbers a repeated heading and ignores headings inside fenced code', () => {
    const page = '# Notes\n\n## Run\n\n```sh\n# not a heading\n```\n\n## Run\n';
    expect([...anchorsOf(page)]).toEqual(['notes', 'run', 'run-1']);
  });

  it('reads links across lines, skips URLs and code, and keeps images', () => {
    const page = [
      'See [the\nguide](guide.md#setup), [AWS](https://aws.amazon.com/) and ![a](shot.png).',
      '`[not](a-link.md)`',
      '```',
      '[nor](this.md)',
      '```',
    ].join('\n');
    expect(relativeLinksOf(page)).toEqual(['guide.md#setup', 'shot.png']);
  });
});
