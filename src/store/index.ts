import { admit, type Budget, chargeSource, type SourceBudget } from './admit.js';
import { type AppendOptions, appendMessage } from './append.js';
import type { DynamoDBDocumentClient } from './client.js';
import {
  getConnection,
  listMembers,
  type MemberQuery,
  removeConnection,
  sampleMembers,
  saveConnection,
} from './connections.js';
import { toStoreError } from './errors.js';
import { KnownTimes, type Rate } from './gcra.js';
import { readHead } from './head.js';
import {
  type CachedCount,
  cacheCount,
  chargeRoom,
  claimTrailer,
  type RoomRate,
  readCachedCount,
  releaseTrailer,
} from './presence.js';
import { purgeDeletedTexts } from './purge.js';
import { readAfter, readBefore } from './read-messages.js';
import { countMembers, sampleRoom } from './room-count.js';
import type { Connection, Member, NewMessage, NewUpdate } from './types.js';
import { deleteMessage, editMessage } from './updates.js';

export type { Admission, Budget, SourceBudget } from './admit.js';
export type { AppendOptions } from './append.js';
export { createDocumentClient } from './client.js';
export type { MemberQuery } from './connections.js';
export * from './errors.js';
export type { Rate } from './gcra.js';
export { HOLE_GRACE_MS } from './holes.js';
export { DEDUPE_WINDOW_SECONDS } from './idempotency.js';
export { MEMBER_SHARDS } from './keys.js';
export type { CachedCount, RoomRate } from './presence.js';
export type { PurgeReport } from './purge.js';
export type { RoomSample } from './room-count.js';
export { tableDefinition } from './table.js';
export type * from './types.js';

export interface StoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** The clock that stamps messages and ages holes in the log; tests move it. */
  now?: () => number;
}

/** The chat's persistence, in domain verbs. Create one per container and pass it to the routes. */
export const createStore = ({ client, tableName, now = Date.now }: StoreOptions) => {
  const deps = { client, tableName, now, known: new KnownTimes() };
  const guard = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      throw toStoreError(error, tableName);
    }
  };
  return {
    tableName,
    saveConnection: (connection: Connection) => guard(saveConnection(deps, connection)),
    getConnection: (connectionId: string) => guard(getConnection(deps, connectionId)),
    /** Charges one of a connection's budgets and returns the connection (see admit.ts). */
    admit: (
      connectionId: string,
      charge: { budget: Budget; rate: Rate; cost?: number },
      now: number,
    ) => guard(admit(deps, connectionId, charge, now)),
    /** Charges one of a source network's budgets (see admit.ts). */
    chargeSource: (
      sourceIp: string,
      charge: { budget: SourceBudget; rate: Rate; cost?: number },
      now: number,
    ) => guard(chargeSource(deps, sourceIp, charge, now)),
    removeConnection: (connectionId: string, room?: string) =>
      guard(removeConnection(deps, connectionId, room)),
    listMembers: (room: string, query?: MemberQuery): AsyncGenerator<Member[]> =>
      guardPages(listMembers(deps, room, query), tableName),
    sampleMembers: (room: string, limit: number) => guard(sampleMembers(deps, room, limit)),
    /** A room's count and names from one Query of at most `limit` members (see presence.ts). */
    sampleRoom: (room: string, sample: { limit: number; namesShown: number }) =>
      guard(sampleRoom(deps, room, sample)),
    /** A room's full count of live connections: a paginated COUNT Query. */
    countMembers: (room: string) => guard(countMembers(deps, room)),
    /** Charges one of a room's presence rates (notices, occupancy ticks, recounts, typing). */
    chargeRoom: (
      room: string,
      charge: { kind: RoomRate; rate: Rate; endTrailer?: boolean },
      now: number,
    ) => guard(chargeRoom(deps, room, charge, now)),
    claimTrailer: (room: string, until: number, now: number) =>
      guard(claimTrailer(deps, room, until, now)),
    releaseTrailer: (room: string, until: number) => guard(releaseTrailer(deps, room, until)),
    cacheCount: (room: string, count: CachedCount) => guard(cacheCount(deps, room, count)),
    readCachedCount: (room: string) => guard(readCachedCount(deps, room)),
    appendMessage: (message: NewMessage, options?: AppendOptions) =>
      guard(appendMessage(deps, message, options)),
    /** Appends an edit by the message's author (see updates.ts). */
    editMessage: (edit: NewUpdate & { text: string }, options?: AppendOptions) =>
      guard(editMessage(deps, edit, options)),
    /** Appends a deletion by the message's author; a deleted message answers its deletion. */
    deleteMessage: (deletion: NewUpdate, options?: AppendOptions) =>
      guard(deleteMessage(deps, deletion, options)),
    /** For operators only: removes deleted messages' texts from the table (see purge.ts). */
    purgeDeletedTexts: (room: string, target?: number) =>
      guard(purgeDeletedTexts(deps, room, target)),
    lastSeq: (room: string) => guard(readHead(deps, room)),
    readAfter: (room: string, after: number, limit: number) =>
      guard(readAfter(deps, room, after, limit)),
    readBefore: (room: string, before: number | undefined, limit: number) =>
      guard(readBefore(deps, room, before, limit)),
  };
};

export type Store = ReturnType<typeof createStore>;

async function* guardPages<T>(pages: AsyncGenerator<T>, tableName: string): AsyncGenerator<T> {
  try {
    yield* pages;
  } catch (error) {
    throw toStoreError(error, tableName);
  }
}
