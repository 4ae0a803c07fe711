import { keyOf, listeners, type Member, membersOf, sentText, sleep } from './clients.js';

/** About the size of a line of chat. */
const TEXT = 'fan-out probe: the quick brown fox jumps over the lazy dog';

interface Delivery {
  last: number;
  first: number;
  ack: number;
  missing: number;
}

/**
 * The sender (a member itself) sends one message; resolves when every member of the room has it,
 * with the times from the send until the first, the sender's own and the last arrival.
 */
const deliver = (members: Member[], id: string, timeoutMs: number) =>
  new Promise<Delivery>((resolve) => {
    const sender = members[0] as Member;
    let remaining = members.length;
    let first = Number.NaN;
    let ack = Number.NaN;
    const finish = (last: number) => {
      clearTimeout(timer);
      listeners.message = undefined;
      resolve({ last, first, ack, missing: remaining });
    };
    const timer = setTimeout(() => finish(Number.NaN), timeoutMs);
    const started = performance.now();
    listeners.message = (member, frame) => {
      if (keyOf(frame) !== id || member.lastId === id) return;
      member.lastId = id;
      const elapsed = performance.now() - started;
      if (Number.isNaN(first)) first = elapsed;
      if (member === sender) ack = elapsed;
      remaining--;
      if (remaining === 0) finish(elapsed);
    };
    sender.ws.send(JSON.stringify({ action: 'sendmessage', message: sentText(TEXT, id), id }));
  });

/** How many messages to send, and how. */
export interface Probe {
  /** Messages sent first and not measured. */
  warmup: number;
  messages: number;
  gapMs: number;
  timeoutMs: number;
}

/**
 * Sends messages one after another from the room's first member and times each fan-out, ms from
 * the send until the `last` member had it (the figure that matters), the `first`, and the sender
 * (`ack`); `missing` counts member deliveries that never arrived before the timeout.
 */
export const fanout = async (request: Probe & { group: string; room: string }) => {
  const members = membersOf(request.group, request.room);
  if (members.length === 0) throw new Error(`room ${request.room} has no members`);
  const result = {
    members: members.length,
    last: [] as number[],
    first: [] as number[],
    ack: [] as number[],
    missing: 0,
  };
  const run = `${Date.now().toString(36)}`;
  for (let i = 0; i < request.warmup + request.messages; i++) {
    const delivery = await deliver(members, `${request.room}-${run}-${i}`, request.timeoutMs);
    if (i >= request.warmup) {
      result.last.push(delivery.last);
      result.first.push(delivery.first);
      result.ack.push(delivery.ack);
      result.missing += delivery.missing;
    }
    await sleep(request.gapMs);
  }
  return result;
};
