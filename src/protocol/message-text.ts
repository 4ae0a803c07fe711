import * as v from 'valibot';
import { countCharacters } from './characters.js';
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_CHARS } from './limits.js';
import { utf8Length } from './utf8-length.js';

/**
 * A text by a message's rules, each refusal naming `field`: not blank, no control characters
 * but tabs and line breaks, at most `chars` characters (grapheme clusters) and `bytes` of UTF-8
 * (`bytesSaid` is how a refusal says that size).
 */
export const checkedText = (
  field: string,
  { chars, bytes, bytesSaid }: { chars: number; bytes: number; bytesSaid: string },
) =>
  v.pipe(
    v.string(`${field} must be a string`),
    v.check((text) => text.trim().length > 0, `${field} must not be empty`),
    // Tabs and line breaks are text; other control characters only corrupt terminals and logs.
    v.check(
      (text) => !/[\p{Cc}--[\t\n\r]]/v.test(text),
      `${field} must not contain control characters`,
    ),
    v.check((text) => countCharacters(text) <= chars, `${field} must be 1-${chars} characters`),
    v.check((text) => utf8Length(text) <= bytes, `${field} must be at most ${bytesSaid} of UTF-8`),
  );

/**
 * A message's text, as `sendmessage` and `editmessage` accept it
 * (docs/protocol.md#client-to-server).
 */
export const MessageText = checkedText('message', {
  chars: MAX_MESSAGE_CHARS,
  bytes: MAX_MESSAGE_BYTES,
  bytesSaid: `${MAX_MESSAGE_BYTES / 1024} KiB`,
});
