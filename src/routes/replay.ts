import * as v from 'valibot';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { arrivingCheck, postWithRetry } from '../outbound/post-with-retry.js';
import { errorFrame, historyFrames } from '../protocol/frames.js';

/** Messages replayed on a fresh connect. */
export const REPLAY_LATEST = 50;
/** Most messages replayed on a resume with `since`; `hasMore` tells the client there are more. */
export const REPLAY_CAP = 1_000;
/**
 * Messages a resume reads at a time, posting each page before reading the next: a client that
 * hung up at once costs one page, not the whole cap.
 */
export const REPLAY_PAGE = 100;

/** The payload `$connect` sends to this same function to start a replay. */
export const ReplayRequestSchema = v.object({
  replay: v.object({
    connectionId: v.pipe(v.string(), v.minLength(1)),
    room: v.string(),
    since: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    /** When the connection was made (epoch ms): the grace for its 410s counts from here. */
    connectedAt: v.optional(v.number()),
    /** Whose network's reading budget the replay spends. */
    sourceIp: v.optional(v.string()),
  }),
});

export type ReplayRequest = v.InferOutput<typeof ReplayRequestSchema>;

/** Sends a new connection the history it should see: the latest messages, or what it missed. */
export const replay = async ({ replay: request }: ReplayRequest, deps: Deps, log: Logger) => {
  const { connectionId, room, since } = request;
  const policy = {
    attempts: 5,
    baseDelayMs: 20,
    maxDelayMs: 250,
    mayBeArriving: arrivingCheck(deps.store, connectionId, request.connectedAt ?? deps.now()),
  };
  const post = async (frames: string[]) => {
    for (const frame of frames) {
      const result = await postWithRetry(deps.api, connectionId, frame, policy);
      if (result.outcome !== 'delivered') {
        // A client that left before its replay is ordinary; a post that failed is not.
        const level = result.outcome === 'gone' ? 'info' : 'warn';
        log(level, 'replay_undelivered', { outcome: result.outcome, attempts: result.attempts });
        return false;
      }
    }
    return true;
  };
  /** Charges the network's reading budget for a page read; tells the client when it is spent. */
  const charge = async (messages: number) => {
    const rate = deps.limits.sourceHistory;
    if (!rate || request.sourceIp === undefined || messages === 0) return true;
    const charged = await deps.store.chargeSource(
      request.sourceIp,
      { budget: 'history', rate, cost: messages },
      deps.now(),
    );
    if (charged.outcome === 'admitted') return true;
    log('info', 'replay_limited', { room, retryAfterMs: charged.retryAfterMs });
    const wait = Math.ceil(charged.retryAfterMs / 1000);
    await post([
      errorFrame(
        'rate_limited',
        `slow down: your network is reading too much history; reconnect in ${wait} s to get the rest`,
        { action: 'history', retryAfterMs: charged.retryAfterMs },
      ),
    ]);
    return false;
  };
  if (since === undefined) {
    const page = await deps.store.readBefore(room, undefined, REPLAY_LATEST);
    if (!(await charge(page.messages.length))) return;
    if (await post(historyFrames(room, page))) {
      log('info', 'replayed', { room, messages: page.messages.length });
    }
    return;
  }
  let after = since;
  let replayed = 0;
  for (;;) {
    const limit = Math.min(REPLAY_PAGE, REPLAY_CAP - replayed);
    const page = await deps.store.readAfter(room, after, limit);
    if (!(await charge(page.messages.length))) return;
    replayed += page.messages.length;
    const last = Math.max(page.messages.at(-1)?.seq ?? 0, page.skipped.at(-1) ?? 0);
    const more = page.hasMore && replayed < REPLAY_CAP && last > after;
    // Only the last page says whether the cap left messages behind: `hasMore` on a page in
    // the middle would send the client to resume again while this replay is still running.
    if (!(await post(historyFrames(room, { ...page, hasMore: more ? false : page.hasMore })))) {
      return;
    }
    if (!more) break;
    after = last;
  }
  log('info', 'replayed', { room, messages: replayed });
};
