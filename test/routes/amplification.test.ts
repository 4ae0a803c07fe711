import { describe, expect, it } from 'vitest';
import type { WebSocketEvent } from '../../src/router/event.js';
import { connectEvent, messageEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

// Nothing refills while a test runs: frames 5 at once, history 300 messages at once; one
// refusal answered per connection, and a connection refused 15 frames (3 bursts) cut off.
process.env.RATE_LIMIT_PER_SECOND = '0.01';
process.env.RATE_LIMIT_BURST = '5';
process.env.HISTORY_PER_MINUTE = '0.6';
process.env.HISTORY_BURST = '300';

const { table, aws, invoke } = useHandler();

const BIG = 'x'.repeat(16 * 1024 - 64);
const history = (connectionId: string, limit: number) =>
  messageEvent(connectionId, JSON.stringify({ action: 'history', limit }));
const bytesTo = (connectionId: string) =>
  aws.posts
    .filter((p) => p.connectionId === connectionId && p.status === 200)
    .reduce((sum, p) => sum + Buffer.byteLength(p.body), 0);
/** The event as if from this network: one cut off for flooding is blocked, not the others. */
const from = (sourceIp: string, event: WebSocketEvent) => {
  event.requestContext.identity = { sourceIp, userAgent: 'vitest' };
  return event;
};

describe('what a cheap frame may cost', () => {
  it('answers history by its budget: three pages of 100 at once, then one rate_limited naming the request, then silence', async () => {
    for (let n = 0; n < 100; n++) {
      await table.store.appendMessage({ room: 'big', author: 'name:b', sender: 'b', text: BIG });
    }
    await invoke(connectEvent('amp-reader', { room: 'big', name: 'reader' }));
    aws.reset();
    for (let n = 0; n < 10; n++) await invoke(history('amp-reader', 100));
    const frames = aws.delivered('amp-reader');
    const pages = frames.filter((f) => f.type === 'history');
    const refused = frames.filter((f) => f.type !== 'history');
    expect(pages.flatMap((f) => f.messages as unknown[])).toHaveLength(300);
    // 7 requests refused: the first is told why and when, the other 6 cost no post.
    expect(refused).toHaveLength(1);
    expect(frames.at(-1)).toBe(refused[0]);
    expect(refused[0]).toMatchObject({ type: 'error', code: 'rate_limited', action: 'history' });
    expect(refused[0]?.message).toContain('history is limited to');
    expect(refused[0]?.retryAfterMs).toBeGreaterThan(0);
    // 10 frames of 33 bytes: at most the budget's 300 messages of 16 KiB came back (was 1,000).
    expect(bytesTo('amp-reader')).toBeLessThan(310 * 16 * 1024);
  });

  it('stops answering unusable frames once the connection has spent its budget, and cuts it off at three bursts over', async () => {
    const ip = '198.51.100.25';
    await invoke(from(ip, connectEvent('amp-noise', { room: 'noise', name: 'noise' })));
    aws.reset();
    for (let n = 0; n < 25; n++) {
      await invoke(from(ip, messageEvent('amp-noise', `{"action":"x${n}"}`)));
    }
    // 5 answered; of the 20 refused, the 15th cuts the connection off, and none is answered.
    const answers = aws.delivered('amp-noise').map((f) => f.code);
    expect(answers).toEqual([...Array(5).fill('unknown_action'), 'flooding']);
    expect(aws.deletes).toEqual([{ connectionId: 'amp-noise', status: 204 }]);
    const again = await invoke(from(ip, connectEvent('amp-noise-2', { room: 'noise' })));
    expect(again).toMatchObject({ statusCode: 429 });
    expect(again?.body).toContain('cut off for flooding');
  });

  it('charges a send the chat refuses like any other frame', async () => {
    await invoke(connectEvent('amp-bad', { room: 'bad', name: 'bad' }));
    aws.reset();
    for (let n = 0; n < 8; n++) await invoke(sendFrame('amp-bad', { message: '' }));
    await invoke(sendFrame('amp-bad', { message: 'a real one' }));
    const codes = aws.delivered('amp-bad').map((f) => f.code);
    // 4 refused: one told, 3 silent.
    expect(codes).toEqual([...Array(5).fill('invalid_message'), 'rate_limited']);
    expect(await table.store.lastSeq('bad')).toBe(0);
  });

  it('charges a bad history request one frame, without reading the log', async () => {
    await invoke(connectEvent('amp-badh', { room: 'big', name: 'badh' }));
    aws.reset();
    for (let n = 0; n < 6; n++) {
      await invoke(messageEvent('amp-badh', '{"action":"history","limit":1000}'));
    }
    const codes = aws.delivered('amp-badh').map((f) => f.code);
    expect(codes).toEqual([...Array(5).fill('invalid_request'), 'rate_limited']);
  });
});
