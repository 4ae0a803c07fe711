/**
 * The chat's requests as clients send them (docs/protocol.md#client-to-server), each refused with
 * a message that names the field and what it must be. The moderation requests are in
 * `moderation-requests.ts`; `who` and `typing` carry nothing.
 */

import * as v from 'valibot';
import { HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT } from './limits.js';
import { MessageText } from './message-text.js';
import { TargetSeq } from './target-seq.js';

/** A `sendmessage` frame. `data` is the AWS sample clients' name for `message`. */
export const SendMessageBody = v.pipe(
  v.object({
    message: v.optional(MessageText),
    data: v.optional(MessageText),
    id: v.optional(
      v.pipe(
        v.string('id must be a string'),
        v.regex(/^[\x21-\x7e]{1,64}$/, 'id must be 1-64 printable ASCII characters'),
      ),
    ),
  }),
  v.check((body) => (body.message ?? body.data) !== undefined, 'message is required'),
  v.transform(({ message, data, id }) => ({ text: (message ?? data) as string, id })),
);

/** An `editmessage` frame: the message's seq, and its new text under `sendmessage`'s rules. */
export const EditMessageBody = v.object({ seq: TargetSeq, message: MessageText });

/** A `deletemessage` frame: the seq of the message to delete. */
export const DeleteMessageBody = v.object({ seq: TargetSeq });

/** A `history` frame: messages with `seq < before` (newest when absent), `limit` 1-100. */
export const HistoryBody = v.object({
  before: v.optional(
    v.pipe(
      v.number('before must be a number'),
      v.integer('before must be a whole number'),
      v.minValue(1, 'before must be at least 1'),
    ),
  ),
  limit: v.optional(
    v.pipe(
      v.number('limit must be a number'),
      v.integer('limit must be a whole number'),
      v.minValue(1, `limit must be 1-${HISTORY_MAX_LIMIT}`),
      v.maxValue(HISTORY_MAX_LIMIT, `limit must be 1-${HISTORY_MAX_LIMIT}`),
    ),
    HISTORY_DEFAULT_LIMIT,
  ),
});
