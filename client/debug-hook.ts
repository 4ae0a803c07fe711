import type { Link } from './link.js';
import type { MessageLog } from './message-log.js';

/** A small debug hook (also used by the browser tests): the live socket and the view state. */
export const exposeDebugHook = (log: MessageLog, link: Link) => {
  Object.defineProperty(window, '__chat', {
    value: Object.freeze({
      get socket() {
        return link.current?.socket ?? null;
      },
      get seqs() {
        return [...log.seqs];
      },
      get skipped() {
        return [...log.skipped].sort((a, b) => a - b);
      },
      /** The seqs of the edits and deletions seen. */
      get updates() {
        return [...log.updates].sort((a, b) => a - b);
      },
      /** The seqs of the moderation events seen. */
      get events() {
        return [...log.events].sort((a, b) => a - b);
      },
      /** The seq a reconnect resumes after: every seq up to it is resolved. */
      get contiguous() {
        return log.highestContiguousSeq();
      },
      /** Waiting to connect again by itself. */
      get retrying() {
        return link.retrying;
      },
    }),
  });
};
