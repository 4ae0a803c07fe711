import type { FanoutInvoker } from '../protocol/invocations.js';
import type { Connection, Member } from '../store/index.js';
import { addReport, type BroadcastOptions, type BroadcastReport, broadcast } from './broadcast.js';
import { shardGroups, workersFor } from './shards.js';

export interface FanOutOptions extends Omit<BroadcastOptions, 'members'> {
  /** A room with more members than this is split across invocations; absent: never split. */
  membersPerWorker: number | undefined;
  invokeWorker: FanoutInvoker<Connection>;
  now: () => number;
}

export interface FanOutReport extends BroadcastReport {
  /** Invocations that posted, this one included. */
  workers: number;
  /** Worker invocations that failed, whose members this invocation then posted to itself. */
  takenBack: number;
}

/**
 * Posts a frame to its room: a stored message with its sender first, or a notice to everyone
 * but `skip`. A small room (at most
 * `membersPerWorker` members, known from one Query) is posted to from here. A bigger one is
 * split by member shard into groups: this invocation posts to the first group while workers,
 * each an invocation of this same function, post to the others in parallel. A worker that fails
 * (throttled, crashed, timed out) has its group posted to from here instead: members it reached
 * before failing may get the frame twice, which clients drop by seq.
 */
export const fanOut = async (options: FanOutOptions): Promise<FanOutReport> => {
  const { store, room, membersPerWorker, invokeWorker, now, log } = options;
  const workers: Promise<WorkerOutcome>[] = [];
  const startedAt = now();
  const skip = options.skip ?? options.first?.connectionId;

  async function* members(): AsyncGenerator<Member[]> {
    if (membersPerWorker === undefined) {
      yield* store.listMembers(room);
      return;
    }
    const sample = await store.sampleMembers(room, membersPerWorker + 1);
    if (sample.complete) {
      yield sample.members;
      return;
    }
    const [own = [], ...others] = shardGroups(workersFor(sample.members, membersPerWorker));
    // The workers stop in time for this invocation to take back what they could not do.
    const deadline = startedAt + Math.max(0, options.remainingMs() - WORKER_RESERVE_MS);
    for (const shards of others) {
      const request = {
        room,
        frame: options.frame,
        shards,
        deadline,
        ...(skip ? { skip } : {}),
        ...(options.variants ? { variants: options.variants } : {}),
      };
      workers.push(
        invokeWorker(request).then(
          (report) => ({ shards, report }),
          (error: unknown) => {
            log('warn', 'fanout_worker_failed', { room, shards, error: describe(error) });
            return { shards, report: undefined };
          },
        ),
      );
    }
    yield* store.listMembers(room, { shards: own });
  }

  const report: FanOutReport = {
    ...(await broadcast({ ...options, members: members() })),
    workers: 1 + workers.length,
    takenBack: 0,
  };
  for (const outcome of await Promise.all(workers)) {
    const { first, ...rest } = options;
    const part =
      outcome.report ??
      (await broadcast({
        ...rest,
        ...(skip ? { skip } : {}),
        members: store.listMembers(room, { shards: outcome.shards }),
      }));
    if (!outcome.report) report.takenBack++;
    // A worker's removals are announced here, by the invocation that asked for them.
    addReport(report, part);
  }
  const { metrics } = options;
  const { delivered, pruned, arriving, failed, unreached } = report;
  metrics.sample('FanoutTime', now() - startedAt);
  metrics.sample('FanoutMembers', delivered + pruned + arriving + failed + unreached);
  metrics.sample('FanoutWorkers', report.workers);
  if (report.takenBack > 0) metrics.count('FanoutGroupsTakenBack', report.takenBack);
  return report;
};

/** Time a worker leaves its caller to post the worker's members itself if the worker failed. */
const WORKER_RESERVE_MS = 5_000;

interface WorkerOutcome {
  shards: number[];
  report: BroadcastReport | undefined;
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
