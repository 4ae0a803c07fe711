import { describe, expect, it } from 'vitest';
import { connectEvent, messageEvent } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

const { table, aws, invoke } = useHandler();

const cases: [string, string, string, string][] = [
  ['a frame that is not JSON', 'hello there', 'invalid_request', 'JSON'],
  ['a JSON array', '[1,2]', 'invalid_request', 'JSON'],
  ['a frame with no action', '{"message":"hi"}', 'unknown_action', 'sendmessage, history'],
  ['an unknown action', '{"action":"shout","message":"hi"}', 'unknown_action', '"shout"'],
  ['__proto__ as the action', '{"action":"__proto__"}', 'unknown_action', '"__proto__"'],
  ['constructor as the action', '{"action":"constructor"}', 'unknown_action', '"constructor"'],
  ['$connect as the action', '{"action":"$connect"}', 'unknown_action', '"$connect"'],
  ['a send with no message', '{"action":"sendmessage"}', 'invalid_message', 'message is required'],
  [
    'a numeric message',
    '{"action":"sendmessage","message":42}',
    'invalid_message',
    'must be a string',
  ],
  [
    'an empty message',
    '{"action":"sendmessage","message":""}',
    'invalid_message',
    'must not be empty',
  ],
  [
    'a blank message',
    '{"action":"sendmessage","message":"  \\n "}',
    'invalid_message',
    'must not be empty',
  ],
  [
    'a message of 4,001 characters',
    JSON.stringify({ action: 'sendmessage', message: 'a'.repeat(4001) }),
    'invalid_message',
    '1-4000 characters',
  ],
  [
    'a message over 16 KiB of UTF-8 in fewer than 4,000 characters',
    JSON.stringify({ action: 'sendmessage', message: '👍🏽'.repeat(2100) }),
    'invalid_message',
    '16 KiB',
  ],
  [
    'a numeric id',
    '{"action":"sendmessage","message":"hi","id":7}',
    'invalid_request',
    'id must be',
  ],
  [
    'an id of 65 characters',
    JSON.stringify({ action: 'sendmessage', message: 'hi', id: 'i'.repeat(65) }),
    'invalid_request',
    'id must be',
  ],
  [
    'a history limit of 0',
    '{"action":"history","limit":0}',
    'invalid_request',
    'limit must be 1-100',
  ],
  [
    'a history limit of 101',
    '{"action":"history","limit":101}',
    'invalid_request',
    'limit must be 1-100',
  ],
  ['a text history limit', '{"action":"history","limit":"10"}', 'invalid_request', 'limit must be'],
  ['a fractional before', '{"action":"history","before":2.5}', 'invalid_request', 'before must be'],
];

describe('bad frames', () => {
  it.each(cases)(
    'answers %s with an error frame to the sender only',
    async (_case, body, code, text) => {
      await invoke(connectEvent('bad-sender', { room: 'bad', name: 'mallory' }));
      await invoke(connectEvent('bad-listener', { room: 'bad', name: 'bob' }));
      aws.reset();
      const result = await invoke(messageEvent('bad-sender', body));
      expect(result).toEqual({ statusCode: 200 });
      const frames = aws.delivered('bad-sender');
      expect(frames).toHaveLength(1);
      expect(frames[0]).toMatchObject({ type: 'error', code });
      expect(frames[0]?.message).toContain(text);
      expect(aws.delivered('bad-listener')).toEqual([]);
      expect(await table.store.lastSeq('bad')).toBe(0);
    },
  );
});
