import { describe, expect, it, vi } from 'vitest';
import { sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { registerMembers } from '../support/members.js';

/** The handler's clock runs `skew` ahead of the real one: a test moves it past a lease. */
let skew = 0;
const { table, aws, invoke } = useHandler({ now: () => Date.now() + skew });

const ids = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, n) => `${prefix}-${String(n).padStart(2, '0')}`);

/** The seqs of the messages a connection received, in the order it received them. */
const seqsTo = (connectionId: string) =>
  aws.messagesTo(connectionId).map((message) => message.seq as number);

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, n) => from + n);

/** Sends `text` from each connection at once; resolves once every invocation returned. */
const sendFromEach = (senders: string[], text: (n: number) => string) =>
  Promise.all(senders.map((sender, n) => invoke(sendFrame(sender, { message: text(n) }))));

describe('batched delivery to a busy room', () => {
  it('delivers what was stored while a delivery was under way in one frame per member, in seq order, each message once, the sender’s acknowledgement never waiting', async () => {
    const members = ids('busy', 30);
    await registerMembers(table.store, 'busy', members);
    aws.reset();
    // The first message's delivery is under way (one member slow to answer)...
    const release = aws.holdNext('busy-29');
    const first = invoke(sendFrame('busy-00', { message: 'first' }));
    await vi.waitFor(() => expect(aws.delivered('busy-28')).toHaveLength(1), { timeout: 10_000 });
    // ...while nine more are sent. Each invocation stores, acknowledges its sender and returns.
    const senders = members.slice(1, 10);
    await sendFromEach(senders, (n) => `then ${n}`);
    const own = new Map<string, number>();
    for (const [n, sender] of senders.entries()) {
      const ack = aws.delivered(sender).find((frame) => frame.text === `then ${n}`);
      expect(ack).toMatchObject({ type: 'message', room: 'busy' });
      own.set(sender, ack?.seq as number);
    }
    expect(seqsTo('busy-28')).toEqual([1]);
    release();
    await first;

    // The rest of the room got the nine in one frame, after the first.
    for (const member of members.slice(10)) {
      expect(aws.delivered(member).map((frame) => frame.type)).toEqual(['message', 'messages']);
      expect(seqsTo(member)).toEqual(range(1, 10));
    }
    // A sender got its own message once, as its acknowledgement, and the rest in the batch.
    for (const sender of senders) {
      const ack = own.get(sender);
      expect(seqsTo(sender)).toEqual([1, ack, ...range(2, 10).filter((seq) => seq !== ack)]);
    }
    // Nobody else ever sees a client id.
    const batch = aws.delivered('busy-20')[1] as { messages: Record<string, unknown>[] };
    expect(batch.messages.every((message) => !('id' in message))).toBe(true);
    expect(await table.store.lastSeq('busy')).toBe(10);
  });

  it('picks up what a deliverer that died mid-batch left, with the next message once its lease has run out', async () => {
    const members = ids('dies', 20);
    await registerMembers(table.store, 'dies', members);
    aws.reset();
    // The deliverer of the first message dies halfway through its posts: it never answers again.
    const revive = aws.holdNext('dies-19');
    const dead = invoke(sendFrame('dies-00', { message: 'one' }));
    await vi.waitFor(() => expect(aws.delivered('dies-18')).toHaveLength(1), { timeout: 10_000 });
    await sendFromEach(['dies-01', 'dies-02'], (n) => `stored ${n}`);
    // Stored and acknowledged, waiting for a deliverer that will never come back.
    expect(seqsTo('dies-10')).toEqual([1]);
    expect(seqsTo('dies-01')).toEqual([1, expect.any(Number)]);

    skew += 10_001;
    await invoke(sendFrame('dies-03', { message: 'after' }));
    // Every member has every message, the one the dead deliverer never reached included.
    for (const member of members) {
      expect(new Set(seqsTo(member))).toEqual(new Set(range(1, 4)));
    }
    expect(seqsTo('dies-19')).toEqual(range(1, 4));
    expect(seqsTo('dies-10')).toEqual([1, 1, 2, 3, 4]);
    // Should it come back after all, its lease is gone: it delivers nothing more.
    revive();
    await dead;
    expect(seqsTo('dies-10')).toEqual([1, 1, 2, 3, 4]);
    expect(seqsTo('dies-19')).toEqual([...range(1, 4), 1]);
  });
});
