import { createHash } from 'node:crypto';

/** The one inline `<script>` and `<style>` of a page, exactly as the browser hashes them. */
export const inlineBlocks = (html: string) => {
  const only = (tag: string) => {
    const blocks = [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))];
    if (blocks.length !== 1)
      throw new Error(`expected exactly one inline <${tag}>, found ${blocks.length}`);
    return blocks[0]?.[1] ?? '';
  };
  return { script: only('script'), style: only('style') };
};

/** A CSP hash source (`'sha256-…'`) for an inline block's text. */
export const hashSource = (text: string) =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page's Content-Security-Policy meta value. */
export const pagePolicy = (html: string) => {
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
  if (!meta?.[1]) throw new Error('no Content-Security-Policy meta tag');
  return meta[1];
};

/** The page with its policy's script-src and style-src hashes recomputed from its inline blocks. */
export const withFreshHashes = (html: string) => {
  const { script, style } = inlineBlocks(html);
  const policy = pagePolicy(html);
  const fresh = policy
    .replace(/script-src '[^']*'/, `script-src ${hashSource(script)}`)
    .replace(/style-src '[^']*'/, `style-src ${hashSource(style)}`);
  return html.replace(policy, fresh);
};
