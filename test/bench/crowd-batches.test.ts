import { afterEach, describe, expect, it } from 'vitest';
import {
  connect,
  type Frame,
  hangUp,
  listeners,
  type Member,
  sentText,
} from '../../bench/e2e/crowd/clients.js';
import { type ScriptedRoom, startScriptedRoom } from '../client/scripted-room.js';

const ROOM = 'crowd';
const sentAt = '2026-11-22T10:00:00.010Z';
const entry = (seq: number, key: string) => ({
  room: ROOM,
  seq,
  sender: 'm1',
  text: sentText('load', key),
  sentAt,
});

let room: ScriptedRoom | undefined;
let member: Member | undefined;
afterEach(async () => {
  listeners.message = undefined;
  if (member) await hangUp(member);
  await room?.stop();
});

describe("the bench crowd's members in a busy room", () => {
  it('count each message of a batch as a message received, and the batch as one frame', async () => {
    room = await startScriptedRoom([]);
    member = await connect({ url: room.wsUrl, room: ROOM, name: 'm0' }, {});
    const heard: Frame[] = [];
    const acknowledged = Promise.withResolvers<void>();
    listeners.message = (_member, frame) => {
      heard.push(frame);
      if (frame.id === 'k3') acknowledged.resolve();
    };
    room.send({ type: 'messages', room: ROOM, messages: [entry(1, 'k1'), entry(2, 'k2')] });
    room.send({ type: 'message', ...entry(3, 'k3'), id: 'k3' });
    await acknowledged.promise;

    expect(heard.map((frame) => [frame.type, frame.seq, frame.text])).toEqual([
      ['message', 1, sentText('load', 'k1')],
      ['message', 2, sentText('load', 'k2')],
      ['message', 3, sentText('load', 'k3')],
    ]);
    expect(member.deliveries).toEqual({ frames: 2, messages: 3 });
    expect(member.counts).toEqual({ messages: 1, message: 1 });
  });
});
