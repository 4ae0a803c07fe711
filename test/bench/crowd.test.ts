import { afterEach, describe, expect, it } from 'vitest';
import { burst } from '../../bench/e2e/crowd/burst.js';
import { fanout } from '../../bench/e2e/crowd/fanout.js';
import { close, join } from '../../bench/e2e/crowd/join.js';
import { floodStorm } from '../../bench/e2e/crowd/storm-flood.js';
import { joinStorm } from '../../bench/e2e/crowd/storm-join.js';
import { throughput } from '../../bench/e2e/crowd/throughput.js';
import { LIFTED_LIMITS } from '../../bench/e2e/servers.js';
import { useChatServer } from '../support/chat-server.js';

// The crowd's engines, run in this process against the real chat, which sends a message's id to
// its author only: every count below is of deliveries to the other members.
const server = useChatServer({ ...LIFTED_LIMITS, AWS_LAMBDA_LOG_LEVEL: 'silent' });

let group: string | undefined;
/** Three members of a fresh room, joined once their replay arrived; the first is the sender. */
const room = async (name: string) => {
  group = name;
  const rooms = [{ room: name, count: 3 }];
  const joined = await join({
    url: server.wsUrl,
    group,
    rooms,
    batch: 3,
    perSecond: 100,
    awaitReplay: true,
  });
  expect(joined.connected).toBe(3);
  return name;
};
afterEach(async () => {
  if (group) await close({ group });
  group = undefined;
});

describe("the bench's crowd engines count deliveries by what every member receives", () => {
  it('fan-out: every member of the room has each message', async () => {
    const name = await room('crowd-fanout');
    const result = await fanout({
      group: name,
      room: name,
      warmup: 0,
      messages: 2,
      gapMs: 0,
      timeoutMs: 5_000,
    });
    expect(result.missing).toBe(0);
    expect(result.last.every(Number.isFinite)).toBe(true);
    expect(result.ack.every(Number.isFinite)).toBe(true);
  });

  it('throughput: every accepted message reaches every member', async () => {
    const name = await room('crowd-throughput');
    const result = await throughput({
      group: name,
      sendersPerRoom: 1,
      durationMs: 300,
      drainMs: 3_000,
    });
    expect(result.accepted).toBeGreaterThan(0);
    expect(result.failed).toBe(0);
    expect(result.deliveredFrames).toBe(result.expectedFrames);
  });

  it('burst: every sender is acknowledged and every member has every message', async () => {
    const name = await room('crowd-burst');
    const result = await burst({
      group: name,
      room: name,
      senders: 2,
      messagesPerSender: 3,
      retryMs: 100,
      timeoutMs: 5_000,
      drainMs: 3_000,
    });
    expect(result.accepted).toBe(6);
    expect(result.allAckedMs).not.toBeNull();
    expect(result.missing).toBe(0);
  });

  it('join storm: no member that joined is deaf to the messages sent after', async () => {
    group = 'crowd-join-storm';
    const result = await joinStorm({
      url: server.wsUrl,
      room: group,
      group,
      clients: 3,
      batch: 3,
      messages: 2,
      openTimeoutMs: 10_000,
      ackTimeoutMs: 3_000,
      deadlineMs: 3_000,
    });
    expect(result).toMatchObject({ stored: 2, open: 3, deaf: 0, partlyDeaf: 0, missing: 0 });
  });

  it("flood storm: the victim's sends reach the receiver, and the flooder's are acknowledged", async () => {
    group = 'crowd-flood-storm';
    const result = await floodStorm({
      url: server.wsUrl,
      room: group,
      group,
      frames: 5,
      calmSends: 1,
      retryMs: 100,
      deadlineMs: 5_000,
      quietMs: 1_000,
      openTimeoutMs: 10_000,
    });
    expect(result.calmMs).toHaveLength(1);
    expect(result.floodMs).not.toBeNull();
    expect(result.flooder.acks).toBe(5);
  });
});
