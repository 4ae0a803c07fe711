import { postToRoom } from '../broadcast/room-poster.js';
import type { PostingContext } from '../context.js';
import { joinFrame, leaveFrame } from '../protocol/presence-frames.js';
import type { Connection } from '../store/index.js';
import { coalescedUpdate } from './coalesce.js';
import { type SampledRoom, sampleRoom } from './snapshot.js';

/**
 * Rounds of leaves announced for members that a presence post itself pruned: each round's
 * posts may find more dead members, so the chain is cut here (what is left is logged, and the
 * next change's update counts it).
 */
const MAX_FOLLOW_UPS = 3;

/** Whom a notice is about. */
type Subject = Pick<Connection, 'connectionId' | 'name'> & { userId?: string | undefined };

/**
 * Tells a room that `joiner` arrived: a small room within its notice rate gets a `join` (not
 * sent to the joiner), anything else the coalesced update.
 */
export const announceJoin = async (
  ctx: PostingContext,
  room: string,
  joiner: Subject,
  sampled?: SampledRoom,
) => {
  const sample = sampled ?? (await sampleRoom(ctx, room));
  const removed =
    sample.small && (await noticeAdmitted(ctx, room))
      ? await postToRoom(ctx, room, joinFrame(room, joiner, sample.count), joiner.connectionId)
      : await coalescedUpdate(ctx, room);
  await announceLeaves(ctx, room, removed, 1);
};

/**
 * Tells a room that these connections left: a small room gets one `leave` each while its notice
 * rate allows, the rest (or a big room's) the coalesced update. Members its posts prune are
 * announced in turn, for at most `MAX_FOLLOW_UPS` rounds.
 */
export const announceLeaves = async (
  ctx: PostingContext,
  room: string,
  leavers: readonly Subject[],
  round = 0,
) => {
  let pending = leavers;
  for (let at = round; pending.length > 0; at++) {
    if (at > MAX_FOLLOW_UPS) {
      ctx.log('warn', 'leaves_unannounced', { room, count: pending.length });
      return;
    }
    pending = await announceRound(ctx, room, pending);
  }
};

const announceRound = async (ctx: PostingContext, room: string, leavers: readonly Subject[]) => {
  const sample = await sampleRoom(ctx, room);
  const removed: Connection[] = [];
  let coalesce = !sample.small;
  for (const leaver of sample.small ? leavers : []) {
    if (!(await noticeAdmitted(ctx, room))) {
      coalesce = true;
      break;
    }
    removed.push(...(await postToRoom(ctx, room, leaveFrame(room, leaver, sample.count))));
  }
  if (coalesce) removed.push(...(await coalescedUpdate(ctx, room)));
  return removed;
};

/** Charges the room's notice rate (`PRESENCE_NOTICE_RATE_PER_SECOND`); off, every notice goes. */
const noticeAdmitted = async ({ deps }: PostingContext, room: string) => {
  const rate = deps.presence.noticeRate;
  if (!rate) return true;
  const charged = await deps.store.chargeRoom(room, { kind: 'notices', rate }, deps.now());
  return charged.outcome === 'admitted';
};
