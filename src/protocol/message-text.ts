import * as v from 'valibot';
import { countCharacters } from './characters.js';
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_CHARS } from './limits.js';

/** A message's text, as `sendmessage` and `editmessage` accept it (SPEC section 5). */
export const MessageText = v.pipe(
  v.string('message must be a string'),
  v.check((text) => text.trim().length > 0, 'message must not be empty'),
  // Tabs and line breaks are text; other control characters only corrupt terminals and logs.
  v.check(
    (text) => !/[\p{Cc}--[\t\n\r]]/v.test(text),
    'message must not contain control characters',
  ),
  v.check(
    (text) => countCharacters(text) <= MAX_MESSAGE_CHARS,
    `message must be 1-${MAX_MESSAGE_CHARS} characters`,
  ),
  v.check(
    (text) => Buffer.byteLength(text) <= MAX_MESSAGE_BYTES,
    `message must be at most ${MAX_MESSAGE_BYTES / 1024} KiB of UTF-8`,
  ),
);
