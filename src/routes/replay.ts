import * as v from 'valibot';
import type { Deps } from '../deps.js';
import { CONNECT_GRACE_MS, postWithRetry } from '../gateway/post-with-retry.js';
import type { Logger } from '../log.js';
import { historyFrames } from '../protocol/frames.js';

/** Messages replayed on a fresh connect. */
export const REPLAY_LATEST = 50;
/** Most messages replayed on a resume with `since`; `hasMore` tells the client there are more. */
export const REPLAY_CAP = 1_000;

/** The payload `$connect` sends to this same function to start a replay. */
export const ReplayRequestSchema = v.object({
  replay: v.object({
    connectionId: v.pipe(v.string(), v.minLength(1)),
    room: v.string(),
    since: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  }),
});

export type ReplayRequest = v.InferOutput<typeof ReplayRequestSchema>;

/** Sends a new connection the history it should see: the latest messages, or what it missed. */
export const replay = async ({ replay: request }: ReplayRequest, deps: Deps, log: Logger) => {
  const { connectionId, room, since } = request;
  const page =
    since === undefined
      ? await deps.store.readBefore(room, undefined, REPLAY_LATEST)
      : await deps.store.readAfter(room, since, REPLAY_CAP);
  const frames = historyFrames(room, page);
  const policy = {
    attempts: 5,
    baseDelayMs: 20,
    maxDelayMs: 250,
    retryGoneUntil: Date.now() + CONNECT_GRACE_MS,
  };
  for (const frame of frames) {
    const result = await postWithRetry(deps.api, connectionId, frame, policy);
    if (result.outcome !== 'delivered') {
      log('warn', 'replay_undelivered', { outcome: result.outcome, attempts: result.attempts });
      return;
    }
  }
  log('info', 'replayed', { room, messages: page.messages.length, frames: frames.length });
};
