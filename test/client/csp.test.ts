import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { inlineBlocks, pagePolicy, withFreshHashes } from '../../scripts/csp.js';

const html = await readFile(new URL('../../client.html', import.meta.url), 'utf8');
const { script, style } = inlineBlocks(html);
const markup = html.replace(script, '').replace(style, '');

describe('client.html', () => {
  it('carries CSP hashes that match its inline script and style (run npm run build:client)', () => {
    expect(withFreshHashes(html)).toBe(html);
  });

  it('allows nothing by default, no inline code without a hash, and sockets only to its own host and this computer', () => {
    const directives = pagePolicy(html).split(/;\s*/);
    expect(directives).toContain("default-src 'none'");
    expect(directives).toContain("connect-src 'self' ws://127.0.0.1:* ws://localhost:*");
    expect(directives).toContain("img-src 'self' data:");
    expect(directives.find((d) => d.startsWith('script-src'))).toMatch(
      /^script-src 'sha256-[^']+'$/,
    );
    expect(directives.find((d) => d.startsWith('style-src'))).toMatch(/^style-src 'sha256-[^']+'$/);
    expect(html).not.toContain('unsafe-');
  });

  it('has no inline event handler attributes and no external resources', () => {
    expect(markup).not.toMatch(/\son[a-z]+\s*=/i);
    expect(markup).not.toMatch(/\s(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(style).not.toMatch(/@import|url\(/i);
  });

  it('never puts data into innerHTML or similar', () => {
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });
});
