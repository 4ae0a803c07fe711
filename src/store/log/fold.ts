import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { TableRef } from '../dynamo/client.js';
import { StoreThrottledError } from '../dynamo/errors.js';
import { revisionKey } from '../dynamo/keys.js';
import type { ChatMessage, ChatUpdate } from '../types.js';
import { type Revision, toRevision, type UpdateEvent } from './log-items.js';

/** A message in its current state: the latest edit's text, or deleted with its text gone. */
export const foldMessage = (message: ChatMessage, revision: Revision | undefined): ChatMessage => {
  if (revision?.deleted) {
    return {
      ...message,
      text: '',
      ...(revision.editedAt !== undefined ? { editedAt: revision.editedAt } : {}),
      deleted: true,
      deletedAt: revision.deletedAt ?? '',
    };
  }
  if (revision?.text === undefined) return message;
  return { ...message, text: revision.text, editedAt: revision.editedAt ?? '' };
};

/**
 * An edit or delete event as readers get it: from its target's current state when the target has
 * a revision (always, unless something removed it), else from the event itself.
 */
export const renderUpdate = (event: UpdateEvent, revision: Revision | undefined): ChatUpdate => {
  const { seq, target } = event;
  if (revision?.deleted) {
    return { seq, target, deleted: true, deletedAt: revision.deletedAt ?? event.sentAt };
  }
  if (revision?.text !== undefined) {
    return { seq, target, text: revision.text, editedAt: revision.editedAt ?? event.sentAt };
  }
  return event.kind === 'delete'
    ? { seq, target, deleted: true, deletedAt: event.sentAt }
    : { seq, target, text: event.text ?? '', editedAt: event.sentAt };
};

/** Keys one BatchGetItem may ask for. */
const BATCH_KEYS = 100;

/** Unprocessed keys are capacity running short: asked again with a back-off, a few times. */
const MAX_BATCH_ATTEMPTS = 6;

/**
 * The revisions of these messages (those that have one), strongly consistent: a read that folds
 * must not miss a deletion that was acknowledged. Unprocessed keys are asked for again.
 */
export const readRevisions = async (
  { client, tableName }: TableRef,
  room: string,
  seqs: Iterable<number>,
): Promise<Map<number, Revision>> => {
  const revisions = new Map<number, Revision>();
  const keys = [...new Set(seqs)].map((seq) => revisionKey(room, seq));
  for (let start = 0; start < keys.length; start += BATCH_KEYS) {
    let request: BatchGetCommandInput['RequestItems'] = {
      [tableName]: { Keys: keys.slice(start, start + BATCH_KEYS), ConsistentRead: true },
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS) {
        throw new StoreThrottledError(`DynamoDB left revisions of "${room}" unread`);
      }
      if (attempt > 0) await sleep(Math.min(1_000, 20 * 2 ** attempt));
      const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({ RequestItems: request }),
      );
      for (const item of Responses?.[tableName] ?? []) {
        const revision = toRevision(item);
        revisions.set(revision.seq, revision);
      }
      request = UnprocessedKeys;
    }
  }
  return revisions;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
