import type { WireMessage, WireUpdate } from '../../src/protocol/frames.js';

/** What a client shows of one message: its latest text, or that it was deleted. */
export interface MessageView {
  /** Only where its author had it acknowledged: no other frame carries a message's id. */
  id?: string;
  text: string;
  deleted?: true;
}

/** The state of a message an update carried, with the seq of that update. */
interface Revision {
  rev: number;
  text: string;
  deleted?: true;
}

/**
 * One client's view of its room, kept by the protocol's rules and nothing more: messages as
 * sent (in their current state at the time), updates applied to their target only when their
 * seq is higher than the last applied one, a deletion final. Every seq that holds a message,
 * an update or nothing (skipped) counts as resolved.
 */
export class RoomView {
  private messages = new Map<number, MessageView>();
  private revisions = new Map<number, Revision>();
  /** Seqs of the edit and delete events received. */
  readonly updateSeqs = new Set<number>();
  /** Seqs the server said hold nothing and never will. */
  readonly skipped = new Set<number>();

  /** Highest seq such that 1..seq are all resolved: where a resume starts. */
  contiguous() {
    let seq = 0;
    while (this.resolved(seq + 1)) seq++;
    return seq;
  }

  resolved(seq: number) {
    return this.messages.has(seq) || this.updateSeqs.has(seq) || this.skipped.has(seq);
  }

  addMessage(message: WireMessage) {
    const known = this.messages.get(message.seq);
    // A deletion is final, whichever frame brought it first.
    if (known?.deleted) return;
    // As sent: a deleted message's text must be empty, and a view keeping it shows it.
    this.messages.set(message.seq, {
      ...(message.id === undefined ? {} : { id: message.id }),
      text: message.text,
      ...(message.deleted ? { deleted: true } : {}),
    });
  }

  applyUpdate(update: WireUpdate) {
    this.updateSeqs.add(update.seq);
    const last = this.revisions.get(update.target);
    if (last !== undefined && (last.rev >= update.seq || last.deleted)) return;
    this.revisions.set(
      update.target,
      'deleted' in update
        ? { rev: update.seq, text: '', deleted: true }
        : { rev: update.seq, text: update.text },
    );
  }

  /** The message at `seq` as shown: its latest update's state over what its own frame said. */
  message(seq: number): MessageView | undefined {
    const message = this.messages.get(seq);
    if (message === undefined) return undefined;
    const revision = this.revisions.get(seq);
    if (message.deleted || revision === undefined) return message;
    return {
      ...(message.id === undefined ? {} : { id: message.id }),
      text: revision.text,
      ...(revision.deleted ? { deleted: true } : {}),
    };
  }

  /** Every message shown, ascending by seq. */
  shown(): [number, MessageView][] {
    return [...this.messages.keys()]
      .sort((a, b) => a - b)
      .map((seq) => [seq, this.message(seq) as MessageView]);
  }
}
