/**
 * What the documents' link check needs from Markdown: headings as GitHub anchors them, and the
 * relative links of a page. Fenced code and inline code are not prose, so neither is read.
 */

const FENCE = /^(```|~~~)/;

/** The lines outside fenced code blocks; a fence's own lines count as code. */
const proseLines = (markdown: string) => {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (FENCE.test(line.trimStart())) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
};

/**
 * GitHub's anchor for a heading: its text without markup, lower-cased, punctuation dropped
 * (letters, digits, `_`, `-` and spaces stay) and each space a `-`.
 */
export const slugOf = (heading: string) =>
  heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}_\- ]/gu, '')
    .replace(/ /g, '-');

/** Every anchor a page has; a repeated heading gets `-1`, `-2`, … as on GitHub. */
export const anchorsOf = (markdown: string): Set<string> => {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = slugOf(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
};

/** The target of every inline link and image of a page that is not a URL with a scheme. */
export const relativeLinksOf = (markdown: string): string[] => {
  const prose = proseLines(markdown)
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
};
