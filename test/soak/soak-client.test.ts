import { afterEach, describe, expect, it } from 'vitest';
import { SoakClient } from '../../local/soak/soak-client.js';
import { type ScriptedRoom, startScriptedRoom } from '../client/scripted-room.js';

const ROOM = 'general';
const sentAt = '2026-11-22T10:00:00.010Z';
const entry = (seq: number, text: string) => ({ room: ROOM, seq, sender: 'bob', text, sentAt });
const emptyReplay = { type: 'history', room: ROOM, messages: [], hasMore: false };

let room: ScriptedRoom | undefined;
let client: SoakClient | undefined;
afterEach(async () => {
  client?.kill();
  await room?.stop();
});

describe("the soak client's view of a busy room", () => {
  it('holds each message of a batch as it holds a message frame', async () => {
    room = await startScriptedRoom(emptyReplay);
    client = new SoakClient(room.wsUrl, ROOM, 'alice');
    await client.connect();
    // Its own send, acknowledged after the batch: once the acknowledgement is here, so is the batch.
    const acknowledged = client.send('mine', 'alice says hi', 60_000);
    room.send({ type: 'messages', room: ROOM, messages: [entry(1, 'one'), entry(3, 'three')] });
    room.send({ type: 'message', ...entry(4, 'alice says hi'), sender: 'alice', id: 'mine' });

    expect(await acknowledged).toBe(4);
    expect(client.view.shown()).toEqual([
      [1, { text: 'one' }],
      [3, { text: 'three' }],
      [4, { id: 'mine', text: 'alice says hi' }],
    ]);
    expect(client.view.contiguous()).toBe(1);
    expect(client.problems).toEqual([]);
  });
});
