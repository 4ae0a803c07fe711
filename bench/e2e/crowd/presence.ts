import { listeners, type Member, membersOf, sleep } from './clients.js';

/**
 * What a group's members received since the last call, by frame type: in all, per member on
 * average and the most any one member got (all types together); then counts afresh.
 */
export const takeCounts = ({ group }: { group: string }) => {
  const members = membersOf(group);
  const byType: Record<string, number> = {};
  let most = 0;
  for (const member of members) {
    let total = 0;
    for (const [type, n] of Object.entries(member.counts)) {
      byType[type] = (byType[type] ?? 0) + n;
      if (type !== 'typing-self') total += n;
    }
    most = Math.max(most, total);
    member.counts = {};
  }
  return { members: members.length, byType, most };
};

export interface TypingRequest {
  group: string;
  room: string;
  /** The room's first `typists` members type at once, each its own keystrokes. */
  typists: number;
  /** Keystrokes a second per typist: one `typing` frame each, as a client that does not throttle. */
  keysPerSecond: number;
  seconds: number;
}

/**
 * Typists send `{"action":"typing"}` on every keystroke, steadily, for `seconds`. Answers the
 * frames sent and the names of the typists (whom the chat must never send their own typing).
 */
export const typing = async ({ group, room, typists, keysPerSecond, seconds }: TypingRequest) => {
  const typing = membersOf(group, room).slice(0, typists);
  const keystrokes = Math.round(keysPerSecond * seconds);
  const frame = JSON.stringify({ action: 'typing' });
  const started = performance.now();
  let sent = 0;
  for (let key = 0; key < keystrokes; key++) {
    await sleep(Math.max(0, started + (key * 1000) / keysPerSecond - performance.now()));
    for (const member of typing) {
      member.ws.send(frame);
      sent++;
    }
  }
  return { sent, typists: typing.map((member) => member.name) };
};

/**
 * The room's first member asks `who` and waits (10 s at most) for its `presence` answer:
 * the count and names it was told, and the time it took, ms.
 */
export const who = async ({ group, room }: { group: string; room: string }) => {
  const asker = membersOf(group, room)[0] as Member;
  const answer = Promise.withResolvers<{
    count: number | undefined;
    names: number | undefined;
    ms: number;
  } | null>();
  const started = performance.now();
  listeners.presence = (member, frame) => {
    if (member !== asker || frame.type !== 'presence') return;
    const names = (frame as { names?: unknown[] }).names?.length;
    answer.resolve({ count: frame.count, names, ms: performance.now() - started });
  };
  const timer = setTimeout(() => answer.resolve(null), 10_000);
  asker.ws.send(JSON.stringify({ action: 'who' }));
  const result = await answer.promise;
  clearTimeout(timer);
  listeners.presence = undefined;
  return result;
};
