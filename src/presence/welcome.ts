import type { PostingContext } from '../context.js';
import { presenceFrame } from '../protocol/presence-frames.js';
import { announceJoin } from './announce.js';
import { presenceSnapshot, sampleRoom } from './snapshot.js';

/**
 * After a newcomer's history: posts it the room's `presence` snapshot (with `post`, the replay's
 * own poster) and announces its join to the others.
 * Runs in the replay's asynchronous invocation, which may wait as the room's trailer.
 */
export const welcome = async (
  ctx: PostingContext,
  newcomer: { connectionId: string; room: string; name: string; userId?: string | undefined },
  post: (frames: string[]) => Promise<boolean>,
) => {
  const { room } = newcomer;
  const sample = await sampleRoom(ctx, room);
  if (!(await post([presenceFrame(room, await presenceSnapshot(ctx, room, sample))]))) return;
  await announceJoin(ctx, room, newcomer, sample);
};
