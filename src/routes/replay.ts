import { arrivingCheck, postWithRetry } from '../outbound/post-with-retry.js';
import { welcome } from '../presence/welcome.js';
import { errorFrame, historyFrames } from '../protocol/frames.js';
import type { ReplayRequest } from '../protocol/invocations.js';
import { REPLAY_CAP, REPLAY_LATEST } from '../protocol/limits.js';
import type { InvocationContext } from '../router/context.js';
import type { MessagePage } from '../store/index.js';

/**
 * Messages a resume reads at a time, posting each page before reading the next: a client that
 * hung up at once costs one page, not the whole cap.
 */
export const REPLAY_PAGE = 100;

/**
 * Sends a new connection the history it should see (the latest messages, or what it missed),
 * then who is in the room, and tells the room it arrived.
 */
export const replay = async ({ replay: request }: ReplayRequest, ctx: InvocationContext) => {
  const { deps, log } = ctx;
  const { connectionId, room, since } = request;
  const policy = {
    attempts: 5,
    baseDelayMs: 20,
    maxDelayMs: 250,
    mayBeArriving: arrivingCheck(
      deps.store,
      connectionId,
      request.connectedAt ?? deps.now(),
      deps.now,
    ),
  };
  let gone = false;
  const post = async (frames: string[]) => {
    for (const frame of frames) {
      const result = await postWithRetry(deps.api, connectionId, frame, policy);
      if (result.outcome !== 'delivered') {
        gone ||= result.outcome === 'gone';
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
  /** The history: the latest messages, or every message since `since` (up to the cap). */
  const sendHistory = async () => {
    if (since === undefined) {
      const page = await deps.store.readBefore(room, undefined, REPLAY_LATEST);
      if (!(await charge(entriesOf(page)))) return;
      if (await post(historyFrames(room, page))) {
        log('info', 'replayed', { room, messages: entriesOf(page) });
      }
      return;
    }
    let after = since;
    let replayed = 0;
    for (;;) {
      const limit = Math.min(REPLAY_PAGE, REPLAY_CAP - replayed);
      const page = await deps.store.readAfter(room, after, limit);
      if (!(await charge(entriesOf(page)))) return;
      replayed += entriesOf(page);
      const last = Math.max(
        page.messages.at(-1)?.seq ?? 0,
        page.skipped.at(-1) ?? 0,
        page.updates?.at(-1)?.seq ?? 0,
      );
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
  await sendHistory();
  // A client that left before its replay reached it is announced by whoever removes it.
  if (!gone) await welcome(ctx, request, post);
};

/** What a page read counts against the limits: its messages and its edit and delete events. */
const entriesOf = (page: MessagePage) => page.messages.length + (page.updates?.length ?? 0);
