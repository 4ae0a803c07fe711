import { describe, expect, it } from 'vitest';
import { checkName } from '../../src/protocol/names.js';

const reasonFor = (name: string) => {
  const checked = checkName(name);
  return checked.ok ? 'accepted' : checked.reason;
};

describe('the name rules', () => {
  it.each([
    ['alice', 'alice'],
    ['  alice  ', 'alice'],
    ['ａｌｉｃｅ', 'alice'],
    ['Jose\u0301', 'José'],
    ['Zoë Ñúñez', 'Zoë Ñúñez'],
    ['लक्ष्मी', 'लक्ष्मी'],
    ['राष्ट्रों', 'राष्ट्रों'],
    ['สมศักดิ์ ที่', 'สมศักดิ์ ที่'],
    ['مُحَمَّد', 'مُحَمَّد'],
    ['李小龍', '李小龍'],
    ['sam 👍🏽 🇫🇷', 'sam 👍🏽 🇫🇷'],
    ['n'.repeat(32), 'n'.repeat(32)],
  ])('accepts %s and stores it as %s', (name, stored) => {
    expect(checkName(name)).toEqual({ ok: true, name: stored });
  });

  it.each([
    ['a zero-width space', 'ali\u200bce', 'invisible characters'],
    ['a zero-width joiner', 'ali\u200dce', 'invisible characters'],
    ['a zero-width non-joiner', 'ali\u200cce', 'invisible characters'],
    ['a word joiner', 'ali\u2060ce', 'invisible characters'],
    ['a byte order mark inside', 'ali\ufeffce', 'invisible characters'],
    ['a soft hyphen', 'ali\u00adce', 'invisible characters'],
    ['the Hangul filler U+3164', 'alice\u3164', 'invisible characters'],
    ['only a Hangul filler', '\u3164', 'invisible characters'],
    ['the Hangul choseong filler U+115F', '\u115falice', 'invisible characters'],
    ['the Hangul jungseong filler U+1160', 'alice\u1160', 'invisible characters'],
    ['the halfwidth Hangul filler U+FFA0', 'alice\uffa0', 'invisible characters'],
    ['a variation selector', 'alice\ufe0f', 'invisible characters'],
    ['a combining grapheme joiner', 'ali\u034fce', 'invisible characters'],
    ['a tag character', 'alice\u{e0041}', 'invisible characters'],
    ['an emoji ZWJ sequence (refused with ZWJ)', '👨\u200d👩\u200d👧', 'invisible characters'],
    ['a right-to-left mark', 'alice\u200f', 'bidirectional controls'],
    ['a left-to-right mark', '\u200ealice', 'bidirectional controls'],
    ['an Arabic letter mark', 'alice\u061c', 'bidirectional controls'],
    ['a right-to-left override', '\u202eecila', 'bidirectional controls'],
    ['a left-to-right embedding', '\u202aalice', 'bidirectional controls'],
    ['a first-strong isolate', '\u2068alice\u2069', 'bidirectional controls'],
    ['a NUL', 'al\u0000ice', 'control characters'],
    ['a bell', 'a\u0007', 'control characters'],
    ['a C1 control', 'a\u0085b', 'control characters'],
    ['a line break inside', 'ali\nce', 'control characters'],
    ['a line separator', 'ali\u2028ce', 'line breaks'],
    ['a private-use character', 'alice\ue000', 'private-use'],
    ['a supplementary private-use character', 'alice\u{f0000}', 'private-use'],
    ['an unassigned code point', 'alice\u{2fffe}', 'unassigned'],
    ['an unpaired surrogate', 'alice\ud800', 'surrogate'],
    ['2,000 combining marks on one letter', `e${'\u0301'.repeat(2000)}`, 'combining marks'],
    [
      // At most 2 stacked on one letter, as documented (docs/protocol.md, "Names").
      '3 combining marks on one letter',
      'x\u0301\u0302\u0303',
      'combining marks',
    ],
    ['a run of 9 Hangul jamo in one character', 'ᄀ'.repeat(9), 'code points in one character'],
    ['an empty name', '', '1-32 characters'],
    ['only spaces', '   ', '1-32 characters'],
    ['only an ideographic space', '\u3000', '1-32 characters'],
    ['33 characters', 'n'.repeat(33), '1-32 characters'],
    ['5,002 characters', 'n'.repeat(5002), '1-32 characters'],
  ])('refuses %s and says which rule', (_case, name, rule) => {
    expect(reasonFor(name)).toContain(rule);
  });

  it('lets two combining marks stand on one letter', () => {
    expect(reasonFor('e\u0301\u0302')).toBe('accepted');
  });
});
