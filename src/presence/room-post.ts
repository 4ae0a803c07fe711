import { fanOut } from '../broadcast/fan-out.js';
import type { InvocationContext } from '../router/context.js';
import type { Connection } from '../store/index.js';

/** What presence and typing need of an invocation: its dependencies, log and remaining time. */
export type PresenceContext = Pick<InvocationContext, 'deps' | 'log' | 'remainingMs'>;

/**
 * Posts a frame to a room (all but `skip`), split across invocations like a message in a big
 * room, never waiting for a member still connecting, and returns the connections its prunes removed: their leaves are the caller's to announce.
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
    log,
    room,
    frame,
    ...(skip === undefined ? {} : { skip }),
    // A member still connecting learns the room from its own presence snapshot.
    arriving: 'pass',
    concurrency: deps.broadcastConcurrency,
    remainingMs,
    membersPerWorker: deps.fanoutMembersPerWorker,
    invokeWorker: deps.invokeFanout,
    now: deps.now,
  });
  return report.removed;
};
