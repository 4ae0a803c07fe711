import { BoundedMap } from './dynamo/bounded-map.js';
import type { DynamoDBDocumentClient } from './dynamo/client.js';
import { toStoreError } from './dynamo/errors.js';
import { type AppendOptions, appendMessage } from './log/append.js';
import { readCreated, readHead } from './log/head.js';
import { purgeDeletedTexts } from './log/purge.js';
import { readAfter, readBefore } from './log/read-messages.js';
import { deleteMessage, editMessage } from './log/updates.js';
import {
  getConnection,
  listMembers,
  type MemberQuery,
  removeConnection,
  sampleMembers,
  saveConnection,
} from './members/connections.js';
import { endRound, offerForDelivery, startRound, type Undelivered } from './members/delivery.js';
import type { Caps } from './members/occupancy.js';
import { countMembers, sampleRoom } from './members/room-count.js';
import { RoomSizes, roomSize } from './members/room-sizes.js';
import { appendModeration } from './moderation/moderation.js';
import {
  ModerationCache,
  type ModerationFreshness,
  roomModeration,
} from './moderation/moderation-cache.js';
import type { NewModeration } from './moderation/moderation-types.js';
import { fingerprintKey, keyedHash, type PepperSource } from './pepper.js';
import { admit, type Budget, chargeSource, type SourceBudget } from './rates/admit.js';
import { KnownTimes, type Rate } from './rates/gcra.js';
import { RefusalWindows } from './rates/refusal-windows.js';
import { type RefusalRule, recordRefusal } from './rates/refusals.js';
import type { RoomBudget } from './rates/room-charge.js';
import {
  type CachedCount,
  cacheCount,
  chargeRoom,
  chargeTyping,
  claimTrailer,
  type RoomRate,
  readCachedCount,
  releaseTrailer,
} from './rates/room-rates.js';
import { chargeSlowMode } from './rates/slow-mode.js';
import { type BlockRule, blockSource, sourceBlockedUntil } from './rates/source-block.js';
import type { Member, NewConnection, NewMessage, NewUpdate } from './types.js';

export { createDocumentClient } from './dynamo/client.js';
export * from './dynamo/errors.js';
export { MEMBER_SHARDS, networkOf } from './dynamo/keys.js';
export type { StoreEvent } from './dynamo/observed-errors.js';
export { tableDefinition } from './dynamo/table.js';
export type { AppendOptions } from './log/append.js';
export { HOLE_GRACE_MS } from './log/holes.js';
export { DEDUPE_WINDOW_SECONDS } from './log/idempotency.js';
export type { PurgeReport } from './log/purge.js';
export type { MemberQuery } from './members/connections.js';
export type { Offered, RoundEnd, Undelivered } from './members/delivery.js';
export type { Caps, Seat, Seating } from './members/occupancy.js';
export type { RoomSample } from './members/room-count.js';
export { ModerationFullError, NotRestrictedError } from './moderation/moderation-errors.js';
export type * from './moderation/moderation-types.js';
export type { PepperSource } from './pepper.js';
export type { Admission, Budget, SourceBudget } from './rates/admit.js';
export type { Rate } from './rates/gcra.js';
export type { RefusalRule, RefusalVerdict } from './rates/refusals.js';
export type { NetworkShare, RoomBudget } from './rates/room-charge.js';
export type { CachedCount, RoomRate } from './rates/room-rates.js';
export { NetworkShareError } from './rates/room-share.js';
export type { BlockRule } from './rates/source-block.js';
export type * from './types.js';

export interface StoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** The clock that stamps messages and ages holes in the log; tests move it. */
  now?: () => number;
  /** The configured pepper of the id records' fingerprints; without one, the table keeps its own. */
  pepper?: PepperSource;
}

/** The chat's persistence, in domain verbs. Create one per container and pass it to the routes. */
export const createStore = ({ client, tableName, now = Date.now, pepper }: StoreOptions) => {
  const deps = {
    client,
    tableName,
    now,
    known: new KnownTimes(),
    windows: new RefusalWindows(),
    fingerprintKey: fingerprintKey({ client, tableName }, pepper),
  };
  const sizes = new RoomSizes();
  const moderation = new ModerationCache();
  // A log's `created` never changes once set, so this container reads each room's only once.
  const logsCreated = new BoundedMap<string, number>();
  const guard = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      throw toStoreError(error, tableName);
    }
  };
  return {
    tableName,
    /** Registers a connection under the caps on its network's sockets and its room's members. */
    saveConnection: (connection: NewConnection, caps?: Caps) =>
      guard(saveConnection(deps, connection, caps)),
    getConnection: (connectionId: string) => guard(getConnection(deps, connectionId)),
    /**
     * Charges one of a connection's budgets and returns the connection; and, given its network's
     * charge, that too, unless this container already knows either spent (see admit.ts).
     */
    admit: (
      connectionId: string,
      charge: { budget: Budget; rate: Rate; cost?: number },
      now: number,
      network?: { sourceIp: string; charge: { budget: SourceBudget; rate: Rate; cost?: number } },
    ) => guard(admit(deps, connectionId, charge, now, network)),
    /** Charges one of a source network's budgets (see admit.ts). */
    chargeSource: (
      sourceIp: string,
      charge: { budget: SourceBudget; rate: Rate; cost?: number },
      now: number,
    ) => guard(chargeSource(deps, sourceIp, charge, now)),
    /** Records a refused frame: answer it, say nothing, or cut the connection off (refusals.ts). */
    recordRefusal: (connectionId: string, rule: RefusalRule, now: number) =>
      guard(recordRefusal(deps, connectionId, rule, now)),
    /** Blocks a network's new connections, longer per offence (source-block.ts); returns the end. */
    blockSource: (sourceIp: string, rule: BlockRule, now: number) =>
      guard(blockSource(deps, sourceIp, rule, now)),
    /** When a network's block ends, if one is running (one read; see source-block.ts). */
    sourceBlockedUntil: (sourceIp: string, now: number) =>
      guard(sourceBlockedUntil(deps, sourceIp, now)),
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
    /**
     * Charges a `typing` broadcast to its network's share of the room's typing rate and to that
     * rate, more in a big room (see presence.ts).
     */
    chargeTyping: (room: string, rate: Rate, budget: Omit<RoomBudget, 'roomRate'>, now: number) =>
      guard(chargeTyping(deps, room, rate, budget, now)),
    /**
     * Adds a stored message to its room's undelivered ones, and makes `owner` the room's deliverer
     * until `until` unless another is (see delivery.ts).
     */
    offerForDelivery: (room: string, message: Undelivered, owner: string, until: number) =>
      guard(offerForDelivery(deps, room, message, owner, until)),
    /** Starts the deliverer's next round, dropping what it delivered; undefined: lease lost. */
    startRound: (room: string, owner: string, until: number, delivered?: Undelivered[]) =>
      guard(startRound(deps, room, owner, until, delivered)),
    /** Ends the deliverer's round, releasing the lease unless more messages wait. */
    endRound: (
      room: string,
      owner: string,
      delivered: Undelivered[],
      options: { roundAt: number; posts: number; giveUp?: boolean },
    ) => guard(endRound(deps, room, owner, delivered, options)),
    /** A room's size without a read per event: what its posts are budgeted by (room-sizes.ts). */
    roomSize: (room: string) => guard(roomSize(deps, sizes, room)),
    /** Remembers how many members a post to the room just counted, for `roomSize`. */
    noteRoomSize: (room: string, count: number) => sizes.set(room, count, now()),
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
    /**
     * Appends a moderation action to the room's log and applies it to the room's state, in one
     * transaction (see moderation.ts); this container's copy of the state is dropped.
     */
    appendModeration: async (action: NewModeration, options?: AppendOptions) => {
      try {
        return await guard(appendModeration(deps, action, options));
      } finally {
        moderation.forget(action.room);
      }
    },
    /**
     * A room's bans, mutes and settings: this container's copy up to `maxAgeMs` old, or (without
     * it) read now, strongly consistent (see moderation-cache.ts).
     */
    roomModeration: (room: string, freshness?: ModerationFreshness) =>
      guard(roomModeration(deps, moderation, room, freshness)),
    /** Charges one message to a person's slow-mode rate in a room (see slow-mode.ts). */
    chargeSlowMode: (room: string, userId: string, seconds: number, now: number) =>
      guard(chargeSlowMode(deps, room, userId, seconds, now)),
    /** For operators only: removes deleted messages' texts from the table (see purge.ts). */
    purgeDeletedTexts: (room: string, target?: number) =>
      guard(purgeDeletedTexts(deps, room, target)),
    lastSeq: (room: string) => guard(readHead(deps, room)),
    /**
     * When the room's log began (epoch ms): its identity, which a log started again in its place
     * does not share (see head.ts); undefined while the room has never had a message.
     */
    logCreated: async (room: string) => {
      const known = logsCreated.get(room);
      if (known !== undefined) return known;
      const created = await guard(readCreated(deps, room));
      return created === undefined ? undefined : logsCreated.set(room, created);
    },
    readAfter: (room: string, after: number, limit: number) =>
      guard(readAfter(deps, room, after, limit)),
    readBefore: (room: string, before: number | undefined, limit: number) =>
      guard(readBefore(deps, room, before, limit)),
    /**
     * HMAC-SHA256 of `data` under the deployment's pepper (the one the id records use), as
     * base64url: identities are made of it (auth/identity.ts). Only the store reads the pepper.
     */
    keyedHash: (data: string | Uint8Array) => guard(keyedHash(deps.fingerprintKey, data)),
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
