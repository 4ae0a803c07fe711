import { median } from '../../stats.js';
import {
  connect,
  groups,
  keyOf,
  listeners,
  type Member,
  sentText,
  sleep,
  tally,
} from './clients.js';

export interface FloodStormRequest {
  url: string;
  room: string;
  group: string;
  /** Frames the flooder sends at once. */
  frames: number;
  /** Timed sends by the victim before the flood, one after another: its calm time. */
  calmSends: number;
  /** A local address for the victim to connect from, so that it is a network of its own. */
  victimFrom?: string | undefined;
  /** client.html's first wait before it sends a refused message again (doubled each time). */
  retryMs: number;
  /** How long a timed send may take to arrive, retries included. */
  deadlineMs: number;
  /**
   * The flood is over once every frame of it was answered, or the flooder was closed, or it has
   * heard nothing for this long (not every refusal needs an answer), or at the deadline.
   */
  quietMs: number;
  openTimeoutMs: number;
}

/**
 * One connection (the flooder) sends `frames` messages at once, and right after, another member
 * (the victim) sends one, timed until a third member (the receiver) has it; the victim's calm
 * time is the same send without the flood, measured first. The victim behaves like client.html: a
 * send answered with an error is sent again with its id after `retryMs`, 2×, 4×... Answers the
 * times (ms; `null`: not within the deadline), the victim's errors and tries, and what the
 * flooder got back: its acknowledgements, error frames by code, and the close code if it was
 * disconnected.
 */
export const floodStorm = async (request: FloodStormRequest) => {
  const { url, room, openTimeoutMs: timeoutMs } = request;
  const join = (name: string, from?: string) =>
    connect({ url, room, name, from }, { awaitReplay: true, timeoutMs });
  const flooder = await join('flooder');
  const victim = await join('victim', request.victimFrom);
  const receiver = await join('receiver');
  groups.set(request.group, new Map([[room, [flooder, victim, receiver]]]));

  const errors = new Map<Member, Record<string, number>>([
    [flooder, {}],
    [victim, {}],
    [receiver, {}],
  ]);
  const arrived = new Map<string, number>();
  let flooderAcks = 0;
  let flooderHeard = performance.now();
  let flooderClose: number | null = null;
  flooder.ws.once('close', (code) => {
    flooderClose = code;
  });
  listeners.error = (member, frame) => {
    const counts = errors.get(member);
    if (counts) tally(counts, frame.code ?? 'unknown');
    if (member === flooder) flooderHeard = performance.now();
  };
  listeners.message = (member, frame) => {
    const key = keyOf(frame);
    if (member === receiver && key !== undefined) arrived.set(key, performance.now());
    // The flooder's acknowledgements: its own frames, the only ones that carry their ids.
    if (member === flooder && frame.id?.startsWith('flood-')) {
      flooderAcks++;
      flooderHeard = performance.now();
    }
  };
  const victimErrors = () => Object.values(errors.get(victim) ?? {}).reduce((a, b) => a + b, 0);

  /** The victim's send of `id`, again after each error; ms until the receiver had it. */
  const timedSend = async (id: string) => {
    const started = performance.now();
    let tries = 0;
    let answered = victimErrors();
    let retryAt = Number.POSITIVE_INFINITY;
    const send = () => {
      tries++;
      victim.ws.send(
        JSON.stringify({ action: 'sendmessage', message: sentText('victim', id), id }),
      );
    };
    send();
    while (!arrived.has(id) && performance.now() - started < request.deadlineMs) {
      await sleep(5);
      if (victimErrors() > answered) {
        answered = victimErrors();
        retryAt = performance.now() + request.retryMs * 2 ** (tries - 1);
      }
      if (performance.now() >= retryAt) {
        retryAt = Number.POSITIVE_INFINITY;
        send();
      }
    }
    const at = arrived.get(id);
    return { ms: at === undefined ? null : at - started, tries };
  };

  const calm: number[] = [];
  for (let n = 0; n < request.calmSends; n++) {
    const { ms } = await timedSend(`calm-${n}`);
    if (ms !== null) calm.push(ms);
    await sleep(100);
  }
  // The victim's errors from here on are the flood's.
  const calmErrors = errors.get(victim);
  errors.set(victim, {});
  flooderHeard = performance.now();
  for (let n = 0; n < request.frames; n++) {
    const id = `flood-${n}`;
    flooder.ws.send(JSON.stringify({ action: 'sendmessage', message: sentText('flood', id), id }));
  }
  const flood = await timedSend('during-flood');
  const answers = () =>
    flooderAcks + Object.values(errors.get(flooder) ?? {}).reduce((a, b) => a + b, 0);
  const until = performance.now() + request.deadlineMs;
  while (performance.now() - flooderHeard < request.quietMs && performance.now() < until) {
    if (flooderClose !== null || answers() >= request.frames) break;
    await sleep(50);
  }
  listeners.message = listeners.error = undefined;
  return {
    calmMs: calm,
    calmMedianMs: calm.length > 0 ? median(calm) : null,
    floodMs: flood.ms,
    victimTries: flood.tries,
    victimErrors: errors.get(victim),
    calmVictimErrors: calmErrors,
    receiverErrors: errors.get(receiver),
    victimFrom: request.victimFrom ?? null,
    flooder: {
      sent: request.frames,
      acks: flooderAcks,
      unanswered: request.frames - answers(),
      errors: errors.get(flooder),
      closeCode: flooderClose as number | null,
    },
  };
};
