import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { ClockedTableRef } from '../dynamo/client.js';
import { MAX_SEQ, messageSk, revisionSk, roomPk } from '../dynamo/keys.js';
import type { ModerationEvent } from '../moderation/moderation-types.js';
import type { ChatMessage, ChatUpdate, MessagePage } from '../types.js';
import { foldMessage, readRevisions, renderUpdate } from './fold.js';
import { findHoles, resolveHoles } from './holes.js';
import {
  isRevisionItem,
  type LogEntry,
  type Revision,
  toLogEntry,
  toRevision,
} from './log-items.js';

const EMPTY: MessagePage = { messages: [], skipped: [], hasMore: false };

/**
 * Entries with `seq > after`, ascending, at most `limit` messages, updates and moderation events,
 * and the tombstones
 * among them; messages in their current state, without their client ids (see `withoutId`).
 */
export const readAfter = async (
  deps: ClockedTableRef,
  room: string,
  after: number,
  limit: number,
): Promise<MessagePage> => {
  const read = await readEntries(deps, room, after + 1, MAX_SEQ, limit, true);
  return settle(deps, room, read, after + 1);
};

/**
 * The newest entries with `seq < before` (all when absent), returned ascending. The entry at
 * `before` itself is read too, only to age a hole just below it.
 */
export const readBefore = async (
  deps: ClockedTableRef,
  room: string,
  before: number | undefined,
  limit: number,
): Promise<MessagePage> => {
  if (before !== undefined && before <= 1) return EMPTY;
  const top = before === undefined ? MAX_SEQ : Math.min(before, MAX_SEQ);
  const read = await readEntries(deps, room, 1, top, limit, false, before);
  const page = await settle(deps, room, { ...read, entries: read.entries.reverse() });
  return before === undefined ? page : withoutSeq(page, before);
};

interface Read {
  entries: LogEntry[];
  /** The revisions read beside the entries, by their message's seq. */
  revisions: Map<number, Revision>;
  hasMore: boolean;
}

/**
 * Pages through the log with strongly consistent reads (a member who just joined must see every
 * message written before), however many 1 MB Query pages that takes, until `limit` messages and
 * updates and one entry more. Tombstones do not count towards `limit`; `evidence` is read, not
 * counted. Revision items come along (each sorts beside its message, the range's last one
 * included) but are no entries.
 */
const readEntries = async (
  { client, tableName }: ClockedTableRef,
  room: string,
  from: number,
  to: number,
  limit: number,
  ascending: boolean,
  evidence?: number,
): Promise<Read> => {
  const entries: LogEntry[] = [];
  const revisions = new Map<number, Revision>();
  if (limit < 1 || from > to) return { entries, revisions, hasMore: false };
  let counted = 0;
  const pages = paginateQuery(
    { client, pageSize: limit + 2 },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': roomPk(room),
        ':from': messageSk(from),
        // The revision of the message at `to` sorts after it: the bound takes it in.
        ':to': revisionSk(to),
      },
      ScanIndexForward: ascending,
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      if (isRevisionItem(item)) {
        const revision = toRevision(item);
        revisions.set(revision.seq, revision);
        continue;
      }
      const entry = toLogEntry(item);
      if (counted === limit && entry.seq !== evidence) return { entries, revisions, hasMore: true };
      entries.push(entry);
      if (entry.kind !== 'tombstone' && entry.seq !== evidence) counted++;
    }
  }
  return { entries, revisions, hasMore: false };
};

/**
 * Resolves what holes it can among ascending entries and turns them into a page in current
 * state: messages folded with their revisions, updates rendered from their targets'. Revisions
 * the range did not cover (targets below it, events that arrived late) are read in one batch.
 */
const settle = async (
  deps: ClockedTableRef,
  room: string,
  { entries, revisions, hasMore }: Read,
  from?: number,
): Promise<MessagePage> => {
  const { skipped, arrived } = await resolveHoles(deps, room, findHoles(entries, from));
  const messages: ChatMessage[] = [];
  const events = [];
  const moderation: ModerationEvent[] = [];
  for (const entry of [...entries, ...arrived]) {
    if (entry.kind === 'message') messages.push(entry.message);
    else if (entry.kind === 'update') events.push(entry.update);
    else if (entry.kind === 'moderation') moderation.push(entry.moderation);
    else skipped.push(entry.seq);
  }
  // A revision older than an event of the page was read before that event was written (a page
  // of the Query that came earlier, or a late event): its target's is read again, so the page
  // never renders an event from an older state than the event's own (a later deletion included).
  const outdated = (event: { seq: number; target: number }) => {
    const revision = revisions.get(event.target);
    return revision === undefined || (!revision.deleted && revision.rev < event.seq);
  };
  const missing = [
    ...arrived.flatMap((entry) =>
      entry.kind === 'update' ? [entry.update.target] : entry.kind === 'message' ? [entry.seq] : [],
    ),
    ...events.filter(outdated).map((event) => event.target),
  ];
  if (missing.length > 0) {
    for (const [seq, revision] of await readRevisions(deps, room, missing)) {
      revisions.set(seq, revision);
    }
  }
  const updates: ChatUpdate[] = events.map((event) =>
    renderUpdate(event, revisions.get(event.target)),
  );
  return {
    messages: messages
      .map((message) => withoutId(foldMessage(message, revisions.get(message.seq))))
      .sort((a, b) => a.seq - b.seq),
    skipped: skipped.sort((a, b) => a - b),
    ...(updates.length > 0 ? { updates: updates.sort((a, b) => a.seq - b.seq) } : {}),
    ...(moderation.length > 0 ? { moderation: moderation.sort((a, b) => a.seq - b.seq) } : {}),
    hasMore,
  };
};

/**
 * A message as reads of the log give it, to whoever reads: without its client `id`, which goes
 * back to its author alone, with the send. Whoever knows a message's id may resend it under the
 * author's name (a name is all an author is in open mode) and learn from the answer.
 */
const withoutId = ({ id: _id, ...message }: ChatMessage): ChatMessage => message;

const withoutSeq = ({ updates, moderation, ...page }: MessagePage, seq: number): MessagePage => {
  const kept = updates?.filter((update) => update.seq !== seq) ?? [];
  const keptModeration = moderation?.filter((event) => event.seq !== seq) ?? [];
  return {
    messages: page.messages.filter((message) => message.seq !== seq),
    skipped: page.skipped.filter((skipped) => skipped !== seq),
    ...(kept.length > 0 ? { updates: kept } : {}),
    ...(keptModeration.length > 0 ? { moderation: keptModeration } : {}),
    hasMore: page.hasMore,
  };
};
