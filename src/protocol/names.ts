import * as v from 'valibot';

/** A display name's length in user-perceived characters (grapheme clusters), after normalising. */
export const NAME_LENGTH = { min: 1, max: 32 } as const;

/**
 * Combining marks stacked on one letter. Counted per base code point, not per grapheme: since
 * Unicode 15.1 a Devanagari conjunct is one grapheme, so "लक्ष्मी" has three marks in its second
 * grapheme but never more than one on a letter, while "e" + 2,000 accents has 2,000 on one.
 */
export const MAX_MARKS_PER_LETTER = 2;

/** Code points in one grapheme: bounds clusters that are long without marks (Hangul jamo runs). */
export const MAX_CODE_POINTS_PER_CHARACTER = 8;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

// Each rule: what it refuses, and the message the client sees. Order matters only for which
// message a name breaking several rules gets (bidi controls are default-ignorable too).
const RULES: [RegExp, string][] = [
  [/[\p{Cc}\p{Zl}\p{Zp}]/u, 'name must not contain control characters or line breaks'],
  [/\p{Bidi_Control}/u, 'name must not contain bidirectional controls (such as RLO, RLM or ALM)'],
  [
    /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u,
    'name must not contain invisible characters (such as zero-width spaces or joiners, soft hyphens, variation selectors or Hangul fillers)',
  ],
  [
    /[\p{Co}\p{Cn}\p{Cs}]/u,
    'name must not contain private-use, unassigned or unpaired surrogate characters',
  ],
];

const MARK = /\p{M}/u;

const mostMarksOnOneLetter = (name: string) => {
  let most = 0;
  let run = 0;
  for (const char of name) {
    run = MARK.test(char) ? run + 1 : 0;
    most = Math.max(most, run);
  }
  return most;
};

export type NameCheck = { ok: true; name: string } | { ok: false; reason: string };

/**
 * The one set of name rules, for `?name=` and a JWT's `name` claim alike: NFKC-normalise, trim,
 * then refuse what lets a name look like another or like nothing. Returns the normalised name,
 * which is what is stored and shown.
 */
export const checkName = (raw: string): NameCheck => {
  const name = raw.normalize('NFKC').trim();
  for (const [pattern, reason] of RULES) {
    if (pattern.test(name)) return { ok: false, reason };
  }
  if (mostMarksOnOneLetter(name) > MAX_MARKS_PER_LETTER) {
    return {
      ok: false,
      reason: `name must not stack more than ${MAX_MARKS_PER_LETTER} combining marks on one letter`,
    };
  }
  let length = 0;
  for (const { segment } of segmenter.segment(name)) {
    length++;
    if (length > NAME_LENGTH.max) break;
    if ([...segment].length > MAX_CODE_POINTS_PER_CHARACTER) {
      return {
        ok: false,
        reason: `name must not have more than ${MAX_CODE_POINTS_PER_CHARACTER} code points in one character`,
      };
    }
  }
  if (length < NAME_LENGTH.min || length > NAME_LENGTH.max) {
    return { ok: false, reason: `name must be ${NAME_LENGTH.min}-${NAME_LENGTH.max} characters` };
  }
  return { ok: true, name };
};

/** The name rules as a valibot schema: the output is the normalised name. */
export const NameSchema = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const checked = checkName(dataset.value);
    if (checked.ok) return checked.name;
    addIssue({ message: checked.reason });
    return NEVER;
  }),
);
