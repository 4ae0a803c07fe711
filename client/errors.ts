import { MODERATION_ACTIONS } from '../src/protocol/routes.js';
import type { Edits } from './edits.js';
import type { Link } from './link.js';
import type { OlderPages } from './older.js';
import type { Outbox } from './outbox.js';
import type { Removal } from './removal.js';
import type { RoomRules } from './room-rules.js';
import { createSendRefusal, reviewReason } from './send-refusal.js';
import { notice } from './status.js';
import type { Timeline } from './timeline.js';
import { localTimes, sentence } from './when.js';

const ERROR_TEXT: Record<string, string> = {
  invalid_message: 'That message was not accepted',
  invalid_request: 'The server did not accept a request from this page',
  unknown_action:
    'The server did not understand a request from this page; reloading the page may help',
  rate_limited:
    'You are sending messages faster than the room allows; the rest will follow in a moment',
  internal: 'The server had a problem; your message will be retried',
  gateway: 'The server hit an unexpected error; your message will be retried',
  forbidden: 'That is not allowed in this room',
  not_found: 'That message is not in this room (it may have been deleted)',
  flooding:
    'This page sent far more than the chat allows and was disconnected; it reconnects once the wait is over',
};

/** An edit or a deletion refused: nothing is retried, so the texts say what to do. */
const CHANGE_TEXT: Record<string, string> = {
  invalid_message: 'That edit was not accepted',
  invalid_request: 'That change was not accepted',
  rate_limited: 'The room is busy: try that change again in a moment',
};

/** The actions only a moderator sends. */
const MODERATOR_ACTIONS = new Set<unknown>(MODERATION_ACTIONS);

/** What an error frame says beside its code and message. */
export interface ErrorDetail {
  /** When a ban or a mute ends (ISO 8601). */
  until?: unknown;
  retryAfterMs?: unknown;
  /** The id of the message it is about. */
  id?: unknown;
}

/** What an error frame can change. */
export interface ErrorParts {
  outbox: Outbox;
  older: OlderPages;
  timeline: Timeline;
  link: Link;
  edits: Edits;
  rules: RoomRules;
  removal: Removal;
}

const textOf = (texts: Record<string, string>, code: string) =>
  Object.hasOwn(texts, code) ? texts[code] : undefined;

/**
 * Reads an error frame (or API Gateway's own error, as `gateway`): this user removed from the
 * room, a moderation action refused, an edit or a deletion refused, the message in flight
 * retried or failed, an older page given up on, or the error shown as a notice. A `who` or
 * `typing` over its budget is simply dropped.
 */
export const createErrorReader = (parts: ErrorParts) => {
  const { outbox, older, timeline, link, edits, rules, removal } = parts;
  const refuseSend = createSendRefusal(parts);
  return (code: string, message: string, action?: unknown, more: ErrorDetail = {}) => {
    if (action === 'who' || action === 'typing') return;
    if (code === 'kicked' || code === 'banned') return removal.removed(code, message, more.until);
    const detail = message && code !== 'gateway' ? ` (${message})` : '';
    if (MODERATOR_ACTIONS.has(action)) {
      notice(`That moderation action was not done.${detail}`);
      return;
    }
    const head = outbox.sending();
    if (edits.claims(code, action, head !== undefined)) {
      // A refusal says why itself: not the author, muted, a read-only room.
      if (code === 'forbidden' && message) return notice(`${sentence(localTimes(message))}.`);
      if (code === 'rejected') {
        const reason = reviewReason(message);
        return notice(`The room’s review turned that edit down${reason ? `: ${reason}` : '.'}`);
      }
      const text = textOf(CHANGE_TEXT, code) ?? textOf(ERROR_TEXT, code) ?? 'That change failed';
      notice(`${text}.${detail}`);
      return;
    }
    if (code === 'rejected' || (code === 'forbidden' && action === 'sendmessage'))
      return refuseSend(code, message, more.until, more.id);
    const base = textOf(ERROR_TEXT, code) ?? 'The server reported a problem';
    const retried = code === 'rate_limited' || code === 'internal' || code === 'gateway';
    const asked = Number(more.retryAfterMs);
    const wait = Number.isFinite(asked) && asked > 0 ? asked : 0;
    if (retried) {
      const backoff = head ? Math.min(8000, 1000 * 2 ** Math.min(head.attempts, 3)) : 0;
      if (head) outbox.requeue(head, Math.max(backoff, wait));
      if (code !== 'rate_limited' && head && head.attempts >= 5)
        outbox.fail(head, `${base}${detail}`);
      // In slow mode the composer counts the wait down: nothing more to say.
      if (code === 'rate_limited' && head && rules.slowedFor(wait)) return;
    } else if (code === 'invalid_request' && /reconnect/i.test(message)) {
      if (head) outbox.requeue(head, 0);
      link.close('gap');
      return;
    } else if (code === 'invalid_request' && older.inFlight && !head) {
      older.settle();
      timeline.renderTop();
    } else if ((code === 'invalid_message' || code === 'invalid_request') && head) {
      outbox.fail(head, `${base}${detail}`);
      return;
    }
    notice(retried ? `${base}.` : `${base}.${detail}`);
  };
};
