import type { Edits } from './edits.js';
import type { Link } from './link.js';
import type { OlderPages } from './older.js';
import type { Outbox } from './outbox.js';
import { notice } from './status.js';
import type { Timeline } from './timeline.js';

const ERROR_TEXT: Record<string, string> = {
  invalid_message: 'That message was not accepted',
  invalid_request: 'The server did not accept a request from this page',
  unknown_action:
    'The server did not understand a request from this page; reloading the page may help',
  rate_limited:
    'You are sending messages faster than the room allows; the rest will follow in a moment',
  internal: 'The server had a problem; your message will be retried',
  gateway: 'The server hit an unexpected error; your message will be retried',
  forbidden: 'Only its author can edit or delete a message',
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

/** What an error frame can change. */
export interface ErrorParts {
  outbox: Outbox;
  older: OlderPages;
  timeline: Timeline;
  link: Link;
  edits: Edits;
}

const textOf = (texts: Record<string, string>, code: string) =>
  Object.hasOwn(texts, code) ? texts[code] : undefined;

/**
 * Reads an error frame (or API Gateway's own error, as `gateway`): an edit or a deletion is
 * refused, the message in flight retried or failed, an older page given up on, or the error
 * shown as a notice. A `who` or `typing` over its budget is simply dropped.
 */
export const createErrorReader = ({ outbox, older, timeline, link, edits }: ErrorParts) => {
  return (code: string, message: string, action?: unknown) => {
    if (action === 'who' || action === 'typing') return;
    const head = outbox.sending();
    const detail = message && code !== 'gateway' ? ` (${message})` : '';
    if (edits.claims(code, action, head !== undefined)) {
      const text = textOf(CHANGE_TEXT, code) ?? textOf(ERROR_TEXT, code) ?? 'That change failed';
      notice(`${text}.${detail}`);
      return;
    }
    const base = textOf(ERROR_TEXT, code) ?? 'The server reported a problem';
    const retried = code === 'rate_limited' || code === 'internal' || code === 'gateway';
    if (retried) {
      if (head) outbox.requeue(head, Math.min(8000, 1000 * 2 ** Math.min(head.attempts, 3)));
      if (code !== 'rate_limited' && head && head.attempts >= 5)
        outbox.fail(head, `${base}${detail}`);
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
