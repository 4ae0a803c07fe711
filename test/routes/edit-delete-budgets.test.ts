import { describe, expect, it } from 'vitest';
import { connectEvent, messageEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

// The room's rate allows a short message (2 write units: its claim and its put) and an edit of
// it (5: the claim and a transaction of two small items), and nothing refills during the test.
process.env.ROOM_RATE_PER_SECOND = '0.01';
process.env.ROOM_RATE_BURST = '7';
process.env.ROOM_NETWORK_SHARE = '0';

const { table, aws, invoke } = useHandler();

const frame = (connectionId: string, body: Record<string, unknown>) =>
  messageEvent(connectionId, JSON.stringify(body));

describe('edits and deletes within the room’s message rate', () => {
  it('charges them to the room like messages: over the rate, rate_limited to the caller and nothing stored', async () => {
    await invoke(connectEvent('busy-a', { room: 'busy', name: 'alice' }));
    await invoke(connectEvent('busy-b', { room: 'busy', name: 'bob' }));
    aws.reset();
    await invoke(sendFrame('busy-a', { message: 'one' }));
    await invoke(frame('busy-a', { action: 'editmessage', seq: 1, message: 'uno' }));
    await invoke(frame('busy-a', { action: 'deletemessage', seq: 1 }));
    const [refusal] = aws.delivered('busy-a').filter((f) => f.type === 'error');
    expect(refusal).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect(refusal?.message).toContain('room "busy" is busy');
    expect(await table.store.lastSeq('busy')).toBe(2);
    expect(aws.delivered('busy-b').map((f) => f.type)).toEqual(['message', 'edit']);
  });
});
