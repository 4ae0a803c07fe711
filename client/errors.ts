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
};

/** What an error frame can change. */
export interface ErrorParts {
  outbox: Outbox;
  older: OlderPages;
  timeline: Timeline;
  link: Link;
}

/**
 * Reads an error frame (or API Gateway's own error, as `gateway`): the message in flight is
 * retried or failed, an older page given up on, or the error shown as a notice.
 */
export const createErrorReader = ({ outbox, older, timeline, link }: ErrorParts) => {
  return (code: string, message: string) => {
    const head = outbox.sending();
    const base = Object.hasOwn(ERROR_TEXT, code)
      ? ERROR_TEXT[code]
      : 'The server reported a problem';
    const detail = message && code !== 'gateway' ? ` (${message})` : '';
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
