/** The store's domain shapes: what the routes read and write. */

export interface Connection {
  connectionId: string;
  room: string;
  name: string;
  /** Epoch milliseconds. */
  connectedAt: number;
  /** The verified token's `sub`, when the connection presented one. */
  subject?: string;
}

export interface Member {
  connectionId: string;
  name: string;
  /** Which of the room's member shards it is listed in (see keys.ts). */
  shard: number;
  /** Epoch milliseconds; a broadcast treats a very new member's 410 as "still connecting". */
  connectedAt?: number;
}

export interface ChatMessage {
  room: string;
  seq: number;
  id?: string;
  sender: string;
  text: string;
  /** ISO 8601, stamped by the store once the seq is claimed (so no earlier seq was claimed later). */
  sentAt: string;
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
  /** More messages exist beyond this page in the direction read. */
  hasMore: boolean;
}
