import type { InvocationContext } from '../context.js';
import { MODERATION_MAX_AGE_MS, mutedOf, settingsOf } from '../moderation/restrictions.js';
import { arrivingCheck } from '../outbound/arrival.js';
import { postWithRetry, type RetryPolicy } from '../outbound/post-with-retry.js';
import { welcome } from '../presence/welcome.js';
import { errorFrame, historyFrames, logIdentity } from '../protocol/frames.js';
import type { ReplayRequest } from '../protocol/invocations.js';
import { REPLAY_CAP, REPLAY_LATEST } from '../protocol/limits.js';
import { sessionFrame } from '../protocol/session-frame.js';
import type { MessagePage } from '../store/index.js';

/**
 * Messages a resume reads at a time, posting each page before reading the next: a client that
 * hung up at once costs one page, not the whole cap.
 */
export const REPLAY_PAGE = 100;

/**
 * The invocation's time a replay keeps for the history and the welcome once the socket opens: a
 * replay still waiting for `$connect` to return by then hands over to a fresh invocation (with
 * the function's 28 s timeout, at most once: the arrival window ends soon after).
 */
export const REPLAY_RESERVE_MS = 5_000;

/**
 * Sends a new connection its `session` frame (who it is, what it may do), the history it should
 * see (the latest messages, or what it missed), then who is in the room, and tells the room it
 * arrived.
 * Until its first post is delivered the socket may not be open yet, and a broadcast meanwhile
 * passes the member by: so the replay reads the log again once the socket is open (see
 * `sendHistory`), and nothing appended after its first read is lost.
 */
export const replay = async ({ replay: request }: ReplayRequest, ctx: InvocationContext) => {
  const { deps, log } = ctx;
  const { connectionId, room, since } = request;
  // Whose network pays for the reading, and the name to announce, come from the connection
  // item, not the request: Lambda keeps a failed request in a queue for 14 days.
  const connection = await deps.store.getConnection(connectionId);
  if (connection === undefined) {
    // `$disconnect` has removed it: the client left before its replay, which reads nothing.
    log('info', 'replay_undelivered', { outcome: 'gone', attempts: 0 });
    return;
  }
  const stillArriving = arrivingCheck(
    deps.store,
    connectionId,
    request.connectedAt ?? deps.now(),
    deps.now,
  );
  /** A post was delivered: the socket is open, and a 410 now means gone. */
  let opened = false;
  let handOver = false;
  const policy: RetryPolicy = {
    attempts: 5,
    baseDelayMs: 20,
    // `$connect` may take up to the integration timeout to return: no hurry between tries.
    maxDelayMs: 1_000,
    mayBeArriving: async () => {
      if (opened || !(await stillArriving())) return false;
      handOver = ctx.remainingMs() < REPLAY_RESERVE_MS;
      return !handOver;
    },
  };
  let gone = false;
  // Who the connection is and what it may do comes first, in the same post as what follows it.
  // With the room's settings, and the connection's mute if it has one (moderation/restrictions.ts).
  const moderation = await deps.store.roomModeration(room, { maxAgeMs: MODERATION_MAX_AGE_MS });
  const muted = mutedOf(moderation, connection.userId, deps.now());
  const unsent = [sessionFrame(connection, settingsOf(moderation), muted)];
  const post = async (frames: string[]) => {
    for (const frame of [...unsent.splice(0), ...frames]) {
      const result = await postWithRetry(deps.api, connectionId, frame, policy);
      if (result.outcome !== 'delivered') {
        gone ||= result.outcome === 'gone';
        // A client that left before its replay is ordinary; a post that failed is not.
        const level = result.outcome === 'gone' ? 'info' : 'warn';
        if (!handOver) {
          log(level, 'replay_undelivered', { outcome: result.outcome, attempts: result.attempts });
        }
        return false;
      }
      opened = true;
    }
    return true;
  };
  /** Counts a page read, and what it holds, in the metrics. */
  const counted = (page: MessagePage) => {
    deps.metrics.count('ReplayPages');
    deps.metrics.count('ReplayMessages', entriesOf(page));
    return page;
  };
  /**
   * A page's frames, naming the log: read after the page, so a page that holds anything names
   * the log it came from (a claim stamps the log before its seq can be written).
   */
  const framed = async (page: MessagePage, hasMore = page.hasMore) =>
    historyFrames(room, { ...page, hasMore, log: logIdentity(await deps.store.logCreated(room)) });
  /** Charges the network's reading budget for a page read; tells the client when it is spent. */
  const charge = async (messages: number) => {
    const rate = deps.limits.sourceHistory;
    // A connection saved before items named their network is not charged.
    if (!rate || connection.network === undefined || messages === 0) return true;
    const charged = await deps.store.chargeSource(
      connection.network,
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
  /**
   * The history: the latest messages, or every message since `since` (up to the cap); then,
   * until a read made after the socket opened has reached the log's end, what follows. A message
   * appended after the first read may have met the socket not yet open (a broadcast passes such a
   * member by); the read after the first delivery is sure to see it.
   */
  const sendHistory = async () => {
    let after = since ?? 0;
    let replayed = 0;
    // A fresh connection's `hasMore` says older messages exist, in every frame of its replay.
    let older: boolean | undefined;
    if (since === undefined) {
      const page = counted(await deps.store.readBefore(room, undefined, REPLAY_LATEST));
      if (!(await charge(entriesOf(page)))) return;
      if (!(await post(await framed(page)))) return;
      replayed = entriesOf(page);
      after = lastSeqOf(page, after);
      older = page.hasMore;
    }
    // A resume's first page is posted even when empty: it tells the client the replay is done.
    let mustPost = since !== undefined;
    for (;;) {
      const afterOpen = opened;
      const limit = Math.min(REPLAY_PAGE, REPLAY_CAP - replayed);
      const page = counted(await deps.store.readAfter(room, after, limit));
      if (!(await charge(entriesOf(page)))) return;
      replayed += entriesOf(page);
      const last = lastSeqOf(page, after);
      const more = page.hasMore && last > after;
      const next = replayed < REPLAY_CAP && (more || !afterOpen);
      if (mustPost || last > after) {
        // Only the last page of a resume says whether the cap left messages behind: `hasMore`
        // on a page in the middle would send the client to resume again while this replay is
        // still running.
        const hasMore = older ?? (next ? false : page.hasMore);
        if (!(await post(await framed(page, hasMore)))) return;
      }
      mustPost = false;
      if (!next) break;
      after = last;
    }
    log('info', 'replayed', { room, messages: replayed });
  };
  await sendHistory();
  if (handOver) {
    // Out of this invocation's time, not of the connection's arrival window.
    log('info', 'replay_handed_over', { room });
    await deps.invokeReplay({ replay: request }).catch((error: unknown) => {
      log('error', 'replay_invoke_failed', { room, error: String(error) });
    });
    return;
  }
  // A client that left before its replay reached it is announced by whoever removes it.
  if (!gone) await welcome(ctx, { ...connection, connectionId, room }, post);
};

/** What a page read counts against the limits: its messages, updates and moderation events. */
export const entriesOf = (page: MessagePage) =>
  page.messages.length + (page.updates?.length ?? 0) + (page.moderation?.length ?? 0);

/**
 * The highest seq a page resolved (a message, a tombstone, an edit or delete, a moderation
 * event), or `after`.
 */
const lastSeqOf = (page: MessagePage, after: number) =>
  Math.max(
    after,
    page.messages.at(-1)?.seq ?? 0,
    page.skipped.at(-1) ?? 0,
    page.updates?.at(-1)?.seq ?? 0,
    page.moderation?.at(-1)?.seq ?? 0,
  );
