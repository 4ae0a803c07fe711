const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Counts user-perceived characters (grapheme clusters): an emoji with a skin tone, or a letter
 * with combining accents, is one character, as the person typing it sees it. The UTF-8 byte
 * limit is what bounds a text built from long clusters.
 */
export const countCharacters = (text: string) => {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
};
