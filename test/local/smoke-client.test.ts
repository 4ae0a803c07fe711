import { afterEach, describe, expect, it } from 'vitest';
import { SmokeClient } from '../../local/smoke/client.js';
import { isMessageAt, isPresence } from '../../local/smoke/frames.js';
import { type ScriptedRoom, startScriptedRoom } from '../client/scripted-room.js';

const sentAt = '2026-11-22T10:00:00.010Z';
const entry = (seq: number, text: string) => ({
  room: 'general',
  seq,
  sender: 'bob',
  text,
  sentAt,
});

let room: ScriptedRoom | undefined;
let client: SmokeClient | undefined;
afterEach(async () => {
  await client?.close();
  await room?.stop();
});

describe("the smoke client's inbox", () => {
  it('keeps a busy room’s batch as the message frames it stands for, so a step takes each by seq', async () => {
    room = await startScriptedRoom([]);
    client = await SmokeClient.open('alice', new URL(room.wsUrl));
    room.send({
      type: 'messages',
      room: 'general',
      messages: [entry(2, 'two'), entry(3, 'three')],
    });
    // Sent after the batch: once it is here, so is the batch.
    room.send({ type: 'occupancy', room: 'general', count: 2 });
    await client.take('occupancy', isPresence);

    expect(await client.take('message 3', isMessageAt(3))).toEqual({
      type: 'message',
      ...entry(3, 'three'),
    });
    expect(await client.take('message 2', isMessageAt(2))).toEqual({
      type: 'message',
      ...entry(2, 'two'),
    });
    expect(client.unclaimed()).toEqual([]);
  });
});
