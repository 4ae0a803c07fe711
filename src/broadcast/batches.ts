import { setTimeout as sleep } from 'node:timers/promises';
import type { InvocationContext, PostingContext } from '../context.js';
import { batchFrame, batchRuns, type WireMessage } from '../protocol/frames.js';
import type { ChatMessage, Undelivered } from '../store/index.js';
import { addReport, type BroadcastReport, noPosts } from './broadcast.js';
import { type FanOutReport, fanOut } from './fan-out.js';
import { postingOptions } from './posting-options.js';

/** How long a deliverer's lease holds from the start of its round: one that died frees the room then. */
const LEASE_MS = 10_000;

/** Time a deliverer keeps for its last round's end: with less left, it hands the room on. */
const RESERVE_MS = 5_000;

/**
 * How far back a round reaches: messages left by a deliverer that died that much earlier are
 * not delivered live (the clients fill the gap from history).
 */
const MAX_SPAN = 1_000;

/** What the invocation that stored a message did for its room's delivery. */
export interface DeliveryReport extends Omit<FanOutReport, 'workers' | 'takenBack'> {
  /** Rounds it delivered (0: another invocation delivers the message). */
  rounds: number;
  /** Messages it delivered. */
  messages: number;
  /**
   * The room as its last round found it (the members posted to, and the senders who had the
   * whole run already); undefined when it delivered nothing.
   */
  counted?: BroadcastReport | undefined;
}

/**
 * Delivers a stored message to its room in batches
 * (docs/protocol.md#busy-rooms-messages-in-batches): offers it for delivery and, if this invocation
 * becomes the room's deliverer, delivers round after round what the room's senders stored, until
 * nothing waits. A round begins at once in a quiet room; in a busy one, `windowMs` after the last
 * began, or later if the room's posts budget asks for more time between rounds (`roomPosts` posts a
 * second: a round of N posts takes N / roomPosts s). Each member gets one frame per round (or per
 * 32 KiB of it) without the messages it sent: their acknowledgement brought them.
 */
export const deliverInBatches = async (
  ctx: Pick<InvocationContext, 'deps' | 'log' | 'remainingMs' | 'requestId'>,
  own: { message: ChatMessage; from: string },
  windowMs: number,
): Promise<DeliveryReport> => {
  const { store, now, limits } = ctx.deps;
  const { room } = own.message;
  const owner = ctx.requestId;
  /** How long after a round of `posts` posts began the next may. */
  const gapAfter = (posts = 0) =>
    Math.max(windowMs, limits.roomPosts ? (posts * 1000) / limits.roomPosts : 0);
  const report: DeliveryReport = {
    ...noPosts(),
    rounds: 0,
    messages: 0,
  };
  const offered = await store.offerForDelivery(
    room,
    { seq: own.message.seq, from: own.from },
    owner,
    now() + LEASE_MS,
  );
  if (!offered.claimed) return report;
  let pending: Undelivered[] | undefined = offered.pending;
  const { lastRoundAt, lastPosts } = offered;
  if (lastRoundAt !== undefined && now() - lastRoundAt < gapAfter(lastPosts)) {
    await sleep(lastRoundAt + gapAfter(lastPosts) - now());
    pending = await store.startRound(room, owner, now() + LEASE_MS);
  }
  let roundAt = now();
  while (pending) {
    const delivered = await deliverRound(ctx, own, pending);
    report.rounds++;
    report.messages += delivered.messages;
    report.counted = delivered.counted;
    addReport(report, delivered.report);
    const { delivered: ok, pruned, arriving, failed } = delivered.report;
    const posts = ok + pruned + arriving + failed;
    if (ctx.remainingMs() < RESERVE_MS) {
      // Whatever came meanwhile waits for the next message's invocation.
      const ended = await store.endRound(room, owner, pending, { roundAt, posts, giveUp: true });
      ctx.log('warn', 'delivery_handed_on', { room, outcome: ended.outcome });
      break;
    }
    const ended = await store.endRound(room, owner, pending, { roundAt, posts });
    if (ended.outcome !== 'more') break;
    const waitMs = roundAt + gapAfter(posts) - now();
    if (waitMs > 0) await sleep(waitMs);
    pending = await store.startRound(room, owner, now() + LEASE_MS, pending);
    roundAt = now();
  }
  return report;
};

/** Reads a round's messages (but its own, in hand) and posts them to the room. */
const deliverRound = async (
  ctx: PostingContext,
  own: { message: ChatMessage; from: string },
  pending: Undelivered[],
) => {
  const { deps, log } = ctx;
  const { room } = own.message;
  const newest = pending.at(-1)?.seq ?? 0;
  const round = pending.filter(({ seq }) => seq > newest - MAX_SPAN);
  if (round.length < pending.length) {
    log('warn', 'stale_undelivered', { room, seqs: pending.length - round.length });
  }
  const senders = new Map(round.map(({ seq, from }) => [seq, from]));
  const others = round.filter(({ seq }) => seq !== own.message.seq);
  const first = others[0]?.seq;
  const read =
    first === undefined
      ? []
      : (await deps.store.readAfter(room, first - 1, (others.at(-1)?.seq ?? first) - first + 1))
          .messages;
  const messages = [
    ...read.filter(({ seq }) => senders.has(seq) && seq !== own.message.seq),
    ...(senders.has(own.message.seq) ? [own.message] : []),
  ].sort((a, b) => a.seq - b.seq);
  deps.metrics.sample('BatchMessages', messages.length);
  const total = noPosts();
  let counted: BroadcastReport | undefined;
  for (const run of batchRuns(room, messages)) {
    const variants = variantsOf(room, run, senders);
    const posted = await fanOut({
      ...postingOptions(ctx),
      room,
      frame: batchFrame(room, run),
      variants,
    });
    addReport(total, posted);
    const had = Object.values(variants).filter((variant) => variant === null).length;
    counted = { ...posted, delivered: posted.delivered + had };
  }
  return { messages: messages.length, report: total, counted };
};

/** What each sender of a run gets: the run without what it sent (null: it sent all of it). */
const variantsOf = (room: string, run: WireMessage[], senders: Map<number, string>) => {
  const variants: Record<string, string | null> = {};
  for (const from of new Set(run.map(({ seq }) => senders.get(seq)))) {
    if (from === undefined) continue;
    const rest = run.filter(({ seq }) => senders.get(seq) !== from);
    variants[from] = rest.length ? batchFrame(room, rest) : null;
  }
  return variants;
};
