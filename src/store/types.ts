/** The store's domain shapes: what the routes read and write. */

import type { Capability } from '../protocol/capabilities.js';
import type { ModerationEvent } from './moderation/moderation-types.js';

export interface Connection {
  connectionId: string;
  room: string;
  name: string;
  /**
   * When `$connect` registered it (epoch ms, the handler's clock; later than the gateway's
   * `connectedAt` by the cold start): its arrival window (`arrival.ts`) and the item's TTL count
   * from here.
   */
  connectedAt: number;
  /** The verified token's `sub`, when the connection presented one. */
  subject?: string;
  /**
   * Who answers for what it sends (`sub:…` with a JWT, `key:…` the keyed hash of its key
   * otherwise): what edits and deletes are checked against. Never sent to a client. A connection
   * stored before identities reads as `sub:` + its subject, or `name:` + its name.
   */
  author: string;
  /**
   * Its public id: a keyed hash of `author`, stable across connections and rooms, on its frames.
   * A connection stored before identities has none and reads as ''.
   */
  userId: string;
  /**
   * What it may do in its room, resolved once at `$connect`; a connection stored before
   * capabilities reads as `['read', 'send']`, what every connection could do then.
   */
  capabilities: readonly Capability[];
  /**
   * The source network it connected from (`networkOf`: an IPv4 address or an IPv6 /64), never
   * the raw address: what its network's budgets and socket cap are charged to.
   */
  network?: string;
}

/**
 * A connection to register. `$connect` always gives its identity; a connection saved without
 * one (tools and tests that seat members directly) reads back like one stored before identities.
 */
export type NewConnection = Omit<Connection, 'author' | 'userId' | 'capabilities'> &
  Partial<Pick<Connection, 'author' | 'userId' | 'capabilities'>>;

export interface Member {
  connectionId: string;
  name: string;
  /** Its connection's public id; absent on members stored before identities. */
  userId?: string;
  /** Which of the room's member shards it is listed in (see keys.ts). */
  shard: number;
  /**
   * When `$connect` registered it (epoch ms): a broadcast takes a 410 from a member within its
   * arrival window (`arrival.ts`) for "not open yet", not for gone.
   */
  connectedAt?: number;
}

export interface ChatMessage {
  room: string;
  seq: number;
  id?: string;
  sender: string;
  /** The public id of its author's connection; absent on messages stored before identities. */
  userId?: string;
  text: string;
  /** ISO 8601, stamped by the store once the seq is claimed (so no earlier seq was claimed later). */
  sentAt: string;
  /** When its latest edit was appended (ISO 8601): `text` is that edit's. */
  editedAt?: string;
  /** Deleted by its author: `text` is empty, and stays so. */
  deleted?: true;
  deletedAt?: string;
}

/**
 * An edit or delete event of a room's log, as readers get it: rendered from its target's current
 * state (an edit of a message deleted since reads as the deletion; every edit carries the latest
 * text), never from what the event held.
 */
export type ChatUpdate =
  | { seq: number; target: number; text: string; editedAt: string }
  | { seq: number; target: number; deleted: true; deletedAt: string };

/** An edit or delete of the message at `target`, by `author` (checked against the message's). */
export interface NewUpdate {
  room: string;
  target: number;
  author: string;
  sender: string;
  /**
   * A deletion by a moderator: the target's author is not checked (an edit is always checked).
   * The event still stores the moderator as its author and sender.
   */
  asModerator?: boolean;
}

export interface UpdateResult {
  update: ChatUpdate;
  /** True when the message had been deleted already: nothing new was stored. */
  duplicate: boolean;
}

export interface NewMessage {
  room: string;
  id?: string | undefined;
  /**
   * Who answers for the message, as the idempotency scope: a client id is only ever matched
   * against the same author's earlier sends (`name:alice` in open mode, `sub:…` with a token).
   */
  author: string;
  sender: string;
  /** The sender's public id, stored and sent with the message; '' (or absent) stores none. */
  userId?: string;
  text: string;
}

export interface AppendResult {
  message: ChatMessage;
  /** True when `id` had been appended before: nothing new was stored. */
  duplicate: boolean;
}

export interface MessagePage {
  /** Ascending by seq. */
  messages: ChatMessage[];
  /** Seqs in the range read that hold no message and never will (tombstones), ascending. */
  skipped: number[];
  /** Edit and delete events in the range read, ascending; absent when there are none. */
  updates?: ChatUpdate[];
  /** Moderation events in the range read, ascending; absent when there are none. */
  moderation?: ModerationEvent[];
  /** More messages exist beyond this page in the direction read. */
  hasMore: boolean;
}
