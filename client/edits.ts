import type { Connection } from './connection.js';
import type { MessageLog } from './message-log.js';
import { notice } from './status.js';
import type { Request } from './wire.js';

// An edit or a deletion is answered by its update frame, which goes to the whole room.
const ANSWER_TIMEOUT_MS = 10000;

type Change = 'editmessage' | 'deletemessage';

/** An edit or a deletion sent and not answered yet. */
interface Asked {
  action: Change;
  target: number;
  timer: number;
}

/** What sending edits and deletions needs of the rest of the page. */
export interface EditParts {
  log: MessageLog;
  live: () => Connection | null;
}

const isChange = (action: unknown): action is Change =>
  action === 'editmessage' || action === 'deletemessage';

/**
 * Sends edits and deletions of this page's messages, marks each message as saving until its
 * update arrives (or an error, or the connection drops), and tells which error frames are theirs.
 */
export const createEdits = ({ log, live }: EditParts) => {
  let asked: Asked[] = [];

  const settle = (a: Asked) => {
    clearTimeout(a.timer);
    asked = asked.filter((other) => other !== a);
    if (!asked.some((other) => other.target === a.target))
      log.get(a.target)?.li.classList.remove('saving');
  };
  const send = (request: Request & { action: Change; seq: number }) => {
    const conn = live();
    if (!conn?.open) {
      notice('Not connected: the message was not changed. Try again once the page is live.');
      return false;
    }
    conn.send(request);
    const a: Asked = { action: request.action, target: request.seq, timer: 0 };
    a.timer = setTimeout(() => settle(a), ANSWER_TIMEOUT_MS);
    asked.push(a);
    log.get(request.seq)?.li.classList.add('saving');
    return true;
  };

  return {
    /** Asks the server to replace message `seq`'s text; false when not connected. */
    edit: (seq: number, message: string) => send({ action: 'editmessage', seq, message }),
    /** Asks the server to delete message `seq`; false when not connected. */
    remove: (seq: number) => send({ action: 'deletemessage', seq }),
    /** An update of `target` arrived: what was asked about it is answered. */
    answered(target: number) {
      for (const a of asked.filter((other) => other.target === target)) settle(a);
    },
    /**
     * Whether an error frame answers an edit or a deletion (settling it): one that names the
     * action, one only they can cause, or one that cannot be about a message being sent.
     */
    claims(code: string, action: unknown, messageInFlight: boolean) {
      const theirs =
        isChange(action) ||
        (action === undefined &&
          (code === 'forbidden' ||
            code === 'not_found' ||
            (asked.length > 0 &&
              !messageInFlight &&
              ['invalid_request', 'invalid_message', 'rate_limited'].includes(code))));
      if (!theirs) return false;
      const a = asked.find((other) => other.action === action) ?? asked[0];
      if (a) settle(a);
      return true;
    },
    /** The connection dropped: nothing sent on it will be answered. */
    dropped() {
      for (const a of [...asked]) settle(a);
    },
  };
};

/** Edits and deletions sent by one page. */
export type Edits = ReturnType<typeof createEdits>;
