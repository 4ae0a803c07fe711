import type { Outbox } from './outbox.js';
import type { RoomRules } from './room-rules.js';
import { notice } from './status.js';
import { localTimes, sentence } from './when.js';

/** What a refused message changes. */
export interface SendRefusalParts {
  outbox: Outbox;
  rules: RoomRules;
}

/** The review's reason in the server's "your message was not sent: …". */
export const reviewReason = (message: string) =>
  message.replace(/^your message was not sent:\s*/i, '');

/** The reason in the server's "you are muted in room "x" for 9 more minutes: spam" ('' if none). */
const muteReason = (message: string) =>
  /^you are muted in room "[^"]*".*?: ([\s\S]+)$/.exec(message)?.[1] ?? '';

/**
 * A message the server will not take as it is: turned down by the room's review (`rejected`), or
 * refused to this user (`forbidden`: muted, a read-only room, no `send`). Sending it again would
 * be refused again, so it fails (the user may retry or remove it) and a mute shows in the
 * composer until it ends.
 */
export const createSendRefusal = ({ outbox, rules }: SendRefusalParts) => {
  return (code: 'rejected' | 'forbidden', message: string, until: unknown, id: unknown) => {
    const refused = (typeof id === 'string' ? outbox.find(id) : undefined) ?? outbox.sending();
    let why: string;
    if (code === 'rejected') {
      const reason = reviewReason(message);
      why = reason
        ? `The room’s review turned it down: ${reason}`
        : 'The room’s review turned it down.';
    } else {
      why = message ? sentence(localTimes(message)) : 'You may not send in this room.';
      const end = typeof until === 'string' ? Date.parse(until) : Number.NaN;
      if (!Number.isNaN(end) || /\bmuted\b/.test(message))
        rules.muted(Number.isNaN(end) ? null : end, muteReason(message));
    }
    if (refused) outbox.fail(refused, why);
    else notice(`Your message was not sent. ${why}`);
  };
};
