/** The store's domain shapes: what the routes read and write. */

export interface Connection {
  connectionId: string;
  room: string;
  name: string;
  /** Epoch milliseconds. */
  connectedAt: number;
}

export interface Member {
  connectionId: string;
  name: string;
  /** Epoch milliseconds; a broadcast treats a very new member's 410 as "still connecting". */
  connectedAt?: number;
}

export interface ChatMessage {
  room: string;
  seq: number;
  id?: string;
  sender: string;
  text: string;
  /** ISO 8601, set by the server. */
  sentAt: string;
}

export interface NewMessage {
  room: string;
  id?: string | undefined;
  sender: string;
  text: string;
  sentAt: string;
}

export interface AppendResult {
  message: ChatMessage;
  /** True when `id` had been appended before: nothing new was stored. */
  duplicate: boolean;
}

export interface MessagePage {
  /** Ascending by seq. */
  messages: ChatMessage[];
  /** More messages exist beyond this page in the direction read. */
  hasMore: boolean;
}
