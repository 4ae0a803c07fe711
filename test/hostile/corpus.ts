/**
 * Hostile frames and what the chat must answer to each (docs/protocol.md#error-codes; API Gateway
 * for closes).
 */

export type Expectation =
  | { error: 'invalid_message' | 'invalid_request' | 'unknown_action' }
  | { stored: string };

const send = (fields: Record<string, unknown>) =>
  JSON.stringify({ action: 'sendmessage', ...fields });
const hist = (fields: Record<string, unknown>) => JSON.stringify({ action: 'history', ...fields });
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

export const frameCorpus: [string, string, Expectation][] = [
  ['plain text', 'hello', { error: 'invalid_request' }],
  ['truncated JSON', '{"action":"sendmessage","message":"hi"', { error: 'invalid_request' }],
  ['a JSON string', '"sendmessage"', { error: 'invalid_request' }],
  ['a JSON number', '42', { error: 'invalid_request' }],
  ['JSON null', 'null', { error: 'invalid_request' }],
  ['a JSON array', '[{"action":"sendmessage","message":"hi"}]', { error: 'invalid_request' }],
  ['an empty frame', '', { error: 'invalid_request' }],
  ['10,000 nested arrays', nested(10_000), { error: 'invalid_request' }],
  [
    'a deeply nested message',
    send({ message: JSON.parse(nested(500)) }),
    { error: 'invalid_message' },
  ],
  ['no action', '{"message":"hi"}', { error: 'unknown_action' }],
  ['a numeric action', '{"action":7,"message":"hi"}', { error: 'unknown_action' }],
  ['a null action', '{"action":null}', { error: 'unknown_action' }],
  [
    'an action in the wrong case',
    '{"action":"SendMessage","message":"hi"}',
    { error: 'unknown_action' },
  ],
  [
    'an action with a space',
    '{"action":" sendmessage","message":"hi"}',
    { error: 'unknown_action' },
  ],
  ['the reserved $connect', '{"action":"$connect"}', { error: 'unknown_action' }],
  ['the reserved $disconnect', '{"action":"$disconnect"}', { error: 'unknown_action' }],
  ['the reserved $default', '{"action":"$default"}', { error: 'unknown_action' }],
  ['__proto__', '{"action":"__proto__"}', { error: 'unknown_action' }],
  ['constructor', '{"action":"constructor"}', { error: 'unknown_action' }],
  ['hasOwnProperty', '{"action":"hasOwnProperty"}', { error: 'unknown_action' }],
  ['a send without message', send({}), { error: 'invalid_message' }],
  ['a numeric message', send({ message: 42 }), { error: 'invalid_message' }],
  ['an object message', send({ message: { text: 'hi' } }), { error: 'invalid_message' }],
  ['a boolean message', send({ message: true }), { error: 'invalid_message' }],
  ['a null message', send({ message: null }), { error: 'invalid_message' }],
  ['a numeric data alias', send({ data: 5 }), { error: 'invalid_message' }],
  ['an empty message', send({ message: '' }), { error: 'invalid_message' }],
  ['a blank message', send({ message: ' \n\t ' }), { error: 'invalid_message' }],
  ['4,001 characters', send({ message: 'a'.repeat(4001) }), { error: 'invalid_message' }],
  ['4,001 astral characters', send({ message: '😀'.repeat(4001) }), { error: 'invalid_message' }],
  [
    '16 KiB + 8 bytes in 2,049 characters',
    send({ message: '👍🏽'.repeat(2049) }),
    { error: 'invalid_message' },
  ],
  [
    'one letter with 9,000 combining marks',
    send({ message: `e${'\u0301'.repeat(9000)}` }),
    { error: 'invalid_message' },
  ],
  ['a NUL character', send({ message: 'a\u0000b' }), { error: 'invalid_message' }],
  ['an escape sequence', send({ message: '\u001b[2Jcleared' }), { error: 'invalid_message' }],
  ['a C1 control character', send({ message: 'a\u0085b' }), { error: 'invalid_message' }],
  ['a numeric id', send({ message: 'hi', id: 7 }), { error: 'invalid_request' }],
  [
    'an id of 65 characters',
    send({ message: 'hi', id: 'i'.repeat(65) }),
    { error: 'invalid_request' },
  ],
  ['an id with a space', send({ message: 'hi', id: 'a b' }), { error: 'invalid_request' }],
  [
    'an id with a control character',
    send({ message: 'hi', id: 'a\u0001' }),
    { error: 'invalid_request' },
  ],
  ['a history limit of 0', hist({ limit: 0 }), { error: 'invalid_request' }],
  ['a history limit of 101', hist({ limit: 101 }), { error: 'invalid_request' }],
  ['a text history limit', hist({ limit: '10' }), { error: 'invalid_request' }],
  ['a negative before', hist({ before: -1 }), { error: 'invalid_request' }],
  ['an infinite before', '{"action":"history","before":1e999}', { error: 'invalid_request' }],
  ['a text before', hist({ before: 'abc' }), { error: 'invalid_request' }],
  // Accepted, and shown exactly as sent:
  ['4,000 characters exactly', send({ message: 'a'.repeat(4000) }), { stored: 'a'.repeat(4000) }],
  ['4,000 astral characters', send({ message: '😀'.repeat(4000) }), { stored: '😀'.repeat(4000) }],
  ['exactly 16 KiB', send({ message: '👍🏽'.repeat(2048) }), { stored: '👍🏽'.repeat(2048) }],
  ['tabs and line breaks', send({ message: 'a\tb\r\nc' }), { stored: 'a\tb\r\nc' }],
  ['a bidirectional override', send({ message: '\u202eevil.exe' }), { stored: '\u202eevil.exe' }],
  [
    'markup',
    send({ message: '<img src=x onerror=alert(1)>' }),
    { stored: '<img src=x onerror=alert(1)>' },
  ],
  [
    'a script tag',
    send({ message: '<script>alert(1)</script>' }),
    { stored: '<script>alert(1)</script>' },
  ],
  ['a __proto__ id', send({ message: 'proto id', id: '__proto__' }), { stored: 'proto id' }],
  [
    'a __proto__ member',
    '{"action":"sendmessage","message":"pp","__proto__":{"admin":true}}',
    { stored: 'pp' },
  ],
  ['both message and data', send({ message: 'mine', data: 'alias' }), { stored: 'mine' }],
  [
    'fields the client must not control',
    send({
      message: 'spoof',
      room: 'victim',
      sender: 'admin',
      seq: 1,
      sentAt: '1999-01-01T00:00:00.000Z',
    }),
    { stored: 'spoof' },
  ],
];

export const connectCorpus: [string, Record<string, string>][] = [
  ['a room with a slash', { room: 'a/b' }],
  ['a room of 65 characters', { room: 'r'.repeat(65) }],
  ['an empty room', { room: '' }],
  ['a room with markup', { room: '<script>' }],
  ['an empty name', { name: '' }],
  ['a name of 33 characters', { name: 'n'.repeat(33) }],
  ['a name with a control character', { name: 'a\u0007' }],
  ['a name with a bidirectional override', { name: '\u202eecila' }],
  ['a name with a zero-width space', { name: 'ali\u200bce' }],
  ['a name with a soft hyphen', { name: 'ali\u00adce' }],
  ['a name with a right-to-left mark', { name: 'alice\u200f' }],
  ['a name with an Arabic letter mark', { name: 'alice\u061c' }],
  ['a name of a Hangul filler alone', { name: '\u3164' }],
  ['a name with a Hangul filler', { name: 'alice\u3164' }],
  ['a name with 2,000 combining marks on one letter', { name: `e${'\u0301'.repeat(2000)}` }],
  ['a name with a variation selector', { name: 'alice\ufe0f' }],
  ['a name with a private-use character', { name: 'alice\ue000' }],
  ['a negative since', { since: '-1' }],
  ['a fractional since', { since: '0.5' }],
  ['a text since', { since: 'yesterday' }],
  ['a since past any seq', { since: '1'.repeat(20) }],
];
