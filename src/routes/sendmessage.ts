import * as v from 'valibot';
import { fanOut } from '../broadcast/fan-out.js';
import { admitFrame, replyRateLimited } from '../budgets/admission.js';
import { reply, replyError } from '../outbound/reply.js';
import { announceLeaves } from '../presence/announce.js';
import { countCharacters } from '../protocol/characters.js';
import { messageFrame } from '../protocol/frames.js';
import { firstIssue } from '../protocol/issues.js';
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_CHARS } from '../protocol/limits.js';
import { ok, type RouteContext, type RouteResult } from '../router/context.js';
import {
  type Connection,
  DEDUPE_WINDOW_SECONDS,
  IdReusedError,
  RoomBusyError,
  SequenceConflictError,
  StoreThrottledError,
} from '../store/index.js';

const Text = v.pipe(
  v.string('message must be a string'),
  v.check((text) => text.trim().length > 0, 'message must not be empty'),
  // Tabs and line breaks are text; other control characters only corrupt terminals and logs.
  v.check(
    (text) => !/[\p{Cc}--[\t\n\r]]/v.test(text),
    'message must not contain control characters',
  ),
  v.check(
    (text) => countCharacters(text) <= MAX_MESSAGE_CHARS,
    `message must be 1-${MAX_MESSAGE_CHARS} characters`,
  ),
  v.check(
    (text) => Buffer.byteLength(text) <= MAX_MESSAGE_BYTES,
    `message must be at most ${MAX_MESSAGE_BYTES / 1024} KiB of UTF-8`,
  ),
);

/** A `sendmessage` frame. `data` is the AWS sample clients' name for `message`. */
export const SendMessageBody = v.pipe(
  v.object({
    message: v.optional(Text),
    data: v.optional(Text),
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

/**
 * Validates, appends to the room's log (idempotent on `id`) and broadcasts, the sender first so
 * that its acknowledgement never waits for the rest of the room. Room, sender, seq and time come
 * from the server. A retried `id` gets its original message back, to the sender only.
 */
export const sendMessage = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  // Charged first: a frame the chat refuses still costs a reply.
  const connection = await admitFrame(ctx, { budget: 'frames' });
  if (!connection) return ok;
  const parsed = v.safeParse(SendMessageBody, body);
  if (!parsed.success) {
    const field = parsed.issues[0]?.path?.[0]?.key;
    const code = field === 'id' ? 'invalid_request' : 'invalid_message';
    await replyError(ctx, code, firstIssue(parsed.issues));
    return ok;
  }
  const { store, limits } = ctx.deps;
  const { room } = connection;
  let appended: Awaited<ReturnType<typeof store.appendMessage>>;
  try {
    appended = await store.appendMessage(
      {
        room,
        id: parsed.output.id,
        author: authorOf(connection),
        sender: connection.name,
        text: parsed.output.text,
      },
      { roomRate: limits.room },
    );
  } catch (error) {
    if (error instanceof RoomBusyError && limits.room) {
      await replyRateLimited(
        ctx,
        `room "${room}" is busy: at most ${limits.room.perSecond} messages a second from everyone in it`,
        error.retryAfterMs,
      );
      return ok;
    }
    if (error instanceof IdReusedError) {
      await replyError(
        ctx,
        'invalid_request',
        `${error.message}; give each new message its own id (ids are remembered for ${DEDUPE_WINDOW_SECONDS / 3600} hours)`,
      );
      return ok;
    }
    if (!(error instanceof StoreThrottledError || error instanceof SequenceConflictError))
      throw error;
    ctx.log('warn', 'append_failed', { room, error: error.name });
    await replyError(ctx, 'internal', 'the message could not be stored right now; send it again');
    return ok;
  }
  const frame = messageFrame(appended.message);
  if (appended.duplicate) {
    ctx.log('info', 'duplicate_send', { room, seq: appended.message.seq });
    await reply(ctx, frame);
    return ok;
  }
  const { removed, ...report } = await fanOut({
    store,
    api: ctx.deps.api,
    log: ctx.log,
    room,
    frame,
    first: connection,
    concurrency: ctx.deps.broadcastConcurrency,
    remainingMs: ctx.remainingMs,
    membersPerWorker: ctx.deps.fanoutMembersPerWorker,
    invokeWorker: ctx.deps.invokeFanout,
    now: ctx.deps.now,
  });
  ctx.log('info', 'sent', { room, seq: appended.message.seq, ...report });
  await announceLeaves(ctx, room, removed);
  return ok;
};

/**
 * Whose ids a send is deduplicated against: the token's subject when the connection proved
 * one, otherwise its name (which, without auth, is whatever the client said it was).
 */
const authorOf = (connection: Connection) =>
  connection.subject !== undefined ? `sub:${connection.subject}` : `name:${connection.name}`;
