import { fanOut } from '../broadcast/fan-out.js';
import type { InvocationContext } from '../router/context.js';
import type { Connection } from '../store/index.js';

/** What presence and typing need of an invocation: its dependencies, log and remaining time. */
export type PresenceContext = Pick<InvocationContext, 'deps' | 'log' | 'remainingMs'>;

/**
 * Posts a frame to a room (all but `skip`), split across invocations like a message in a big
 * room, and returns the connections its prunes removed: their leaves are the caller's to announce.
 * A member still connecting is passed by like for a message: its replay's presence snapshot tells
 * it the room as it is.
 */
export const postToRoom = async (
  { deps, log, remainingMs }: PresenceContext,
  room: string,
  frame: string,
  skip?: string,
): Promise<Connection[]> => {
  const report = await fanOut({
    store: deps.store,
    api: deps.api,
    metrics: deps.metrics,
    log,
    room,
    frame,
    ...(skip === undefined ? {} : { skip }),
    concurrency: deps.broadcastConcurrency,
    remainingMs,
    membersPerWorker: deps.fanoutMembersPerWorker,
    invokeWorker: deps.invokeFanout,
    now: deps.now,
  });
  return report.removed;
};
