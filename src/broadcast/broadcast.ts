import type { Logger } from '../log.js';
import type { Metrics } from '../metrics/recorder.js';
import { mayStillArrive } from '../outbound/arrival.js';
import type { ConnectionsApi } from '../outbound/connections-api.js';
import { defaultPostPolicy, postWithRetry, type RetryPolicy } from '../outbound/post-with-retry.js';
import type { FanoutAnswer } from '../protocol/invocations.js';
import type { Connection, Member, Store } from '../store/index.js';

export interface BroadcastOptions {
  store: Pick<Store, 'listMembers' | 'sampleMembers' | 'removeConnection'>;
  api: ConnectionsApi;
  log: Logger;
  /** Where the posts are counted: by the invocation that made them. */
  metrics: Pick<Metrics, 'count' | 'sample'>;
  room: string;
  frame: string;
  /**
   * A member to post to before the others (the sender: its acknowledgement). Its frame proves its
   * socket open, so a 410 from it means gone, however new it is.
   */
  first?: Recipient | undefined;
  /** What `first` gets instead of `frame` (a message's acknowledgement carries its client id). */
  firstFrame?: string | undefined;
  /**
   * What some members get instead of `frame` (a batch without the messages they sent), by
   * connection id; null: nothing (they sent every message of it: not posted, not counted).
   */
  variants?: Readonly<Record<string, string | null>> | undefined;
  /** Whom to post to; default: every member of the room, read page by page. */
  members?: AsyncIterable<Member[]>;
  /** A connection not to post to (default: `first`, who is posted to first). */
  skip?: string;
  /** Posts in flight at once. */
  concurrency: number;
  /** The function's remaining time; the broadcast stops cleanly when it runs low. */
  remainingMs: () => number;
  /** Time kept back for finishing up once the broadcast stops early. */
  reserveMs?: number;
  policy?: RetryPolicy;
  /** The clock that tells a member whose `$connect` may still be running. */
  now: () => number;
}

/** Whom a post goes to: a connection, and when it connected if known. */
export type Recipient = Pick<Member, 'connectionId' | 'connectedAt'>;

/** What a broadcast did, as a fan-out worker answers it. */
export type BroadcastReport = FanoutAnswer<Connection>;

/**
 * Posts one frame to every member of a room (`first` before the rest), page by page, with a
 * bounded number in flight.
 * A 410 prunes that member, unless its `$connect` may still be running: then it is passed by at
 * once. One member's failure never fails the broadcast.
 */
export const broadcast = async (options: BroadcastOptions): Promise<BroadcastReport> => {
  const { store, api, log, metrics, room, frame, first, variants, concurrency, remainingMs, now } =
    options;
  const skip = options.skip ?? first?.connectionId;
  const reserveMs = options.reserveMs ?? 2_000;
  const report = noPosts();
  const inFlight = new Set<Promise<void>>();

  const policy = options.policy ?? defaultPostPolicy;
  const deliver = async (member: Recipient) => {
    const body =
      member === first ? (options.firstFrame ?? frame) : (variants?.[member.connectionId] ?? frame);
    const result = await postWithRetry(api, member.connectionId, body, policy);
    if (result.outcome === 'delivered') {
      report.delivered++;
      metrics.count('PostsDelivered');
    } else if (
      result.outcome === 'gone' &&
      member !== first &&
      mayStillArrive(member.connectedAt, now())
    ) {
      // Not open yet rather than gone: neither waited for (that would hold up everyone behind
      // it) nor pruned (that would leave its socket open and deaf).
      report.arriving++;
    } else if (result.outcome === 'gone') {
      report.pruned++;
      metrics.count('PostsPruned');
      const removed = await store
        .removeConnection(member.connectionId, room)
        .catch((error: unknown) => {
          log('warn', 'prune_failed', { connectionId: member.connectionId, error: String(error) });
          return undefined;
        });
      if (removed) report.removed.push(removed);
    } else {
      report.failed++;
      metrics.count('PostsFailed');
      log('warn', 'post_failed', {
        connectionId: member.connectionId,
        status: result.status,
        attempts: result.attempts,
        error: (result.error as Error)?.name,
      });
    }
  };

  const start = (member: Recipient) => {
    const task = deliver(member).finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  if (first) start(first);
  try {
    for await (const page of options.members ?? store.listMembers(room)) {
      for (const member of page) {
        if (member.connectionId === skip) continue;
        if (variants?.[member.connectionId] === null) continue;
        if (report.unreached > 0 || remainingMs() < reserveMs) {
          report.unreached++;
          continue;
        }
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
        start(member);
      }
    }
  } catch (error) {
    // The message is stored and its sender has it: the rest of the room catches up by seq.
    log('error', 'members_unreadable', { room, error: (error as Error)?.name });
  }
  await Promise.all(inFlight);
  if (report.unreached > 0) {
    metrics.count('PostsUnreached', report.unreached);
    const { removed: _removed, ...counts } = report;
    log('warn', 'broadcast_stopped_early', { room, ...counts });
  }
  return report;
};

/** A report of no posts yet. */
export const noPosts = (): BroadcastReport => ({
  delivered: 0,
  pruned: 0,
  arriving: 0,
  failed: 0,
  unreached: 0,
  removed: [],
});

/** Adds a post's counts (and whom its prunes removed) to a running total. */
export const addReport = (total: BroadcastReport, part: BroadcastReport) => {
  total.delivered += part.delivered;
  total.pruned += part.pruned;
  total.arriving += part.arriving;
  total.failed += part.failed;
  total.unreached += part.unreached;
  total.removed.push(...part.removed);
};
