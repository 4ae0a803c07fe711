/** Where a message lives: its room and seq. */
const where = (room: string, seq: number) => `${room}#${seq}`;

/**
 * The text a sender sends with `id`: it names the id, because reads of the log and the frames
 * of everyone but the author carry none (an id goes back to its author only). Edits append to
 * it (`msg <id>, edited`); a deletion empties it.
 */
export const sentText = (id: string) => `msg ${id}`;

/** The id a message's text names, if it still names one (a deleted message's text is empty). */
export const idInText = (text: string) => /^msg ([^\s,]+)/.exec(text)?.[1];

/**
 * What the senders did and were told, for the final checks: the ids accepted, the edits and
 * deletions acknowledged (and when), and every edit and delete frame sent, retries included.
 */
export class Ledger {
  /** Accepted ids: their room and the seq their acknowledgement (to their author) said. */
  readonly accepted = new Map<string, { room: string; seq: number }>();
  retries = 0;
  /** Requests whose first acknowledgement the sender lost on purpose, by dropping its connection. */
  acksLost = 0;
  edits = 0;
  deletes = 0;
  /** Texts each message was edited to, in the order sent. */
  private editTexts = new Map<string, string[]>();
  /** Edit and delete frames sent for each message, retries included. */
  private framesSent = new Map<string, { edits: number; deletes: number }>();
  private deletedAt = new Map<string, number>();
  private edited = new Set<string>();

  sent(room: string, seq: number, verb: 'edit' | 'delete', text?: string) {
    const key = where(room, seq);
    const frames = this.framesSent.get(key) ?? { edits: 0, deletes: 0 };
    if (verb === 'edit') frames.edits++;
    else frames.deletes++;
    this.framesSent.set(key, frames);
    if (text !== undefined && !this.editTexts.get(key)?.includes(text)) {
      this.editTexts.set(key, [...(this.editTexts.get(key) ?? []), text]);
    }
  }

  acknowledged(room: string, seq: number, verb: 'edit' | 'delete') {
    if (verb === 'edit') {
      this.edits++;
      this.edited.add(where(room, seq));
    } else {
      this.deletes++;
      this.deletedAt.set(where(room, seq), Date.now());
    }
  }

  /** When the deletion of this message was acknowledged to its author (epoch ms). */
  deletionAcknowledged(room: string, seq: number) {
    return this.deletedAt.get(where(room, seq));
  }

  editTextsOf(room: string, seq: number) {
    return this.editTexts.get(where(room, seq)) ?? [];
  }

  /** At most this many update events may be stored for the message: one per edit frame, one delete. */
  updatesAllowed(room: string, seq: number) {
    const frames = this.framesSent.get(where(room, seq));
    return frames === undefined ? 0 : frames.edits + Math.min(1, frames.deletes);
  }

  /** Whether an edit of this message was acknowledged. */
  wasEdited(room: string, seq: number) {
    return this.edited.has(where(room, seq));
  }

  /** Messages whose deletion was acknowledged, as [room, seq]. */
  *deletions(): Generator<[string, number]> {
    for (const key of this.deletedAt.keys()) {
      const [room, seq] = key.split('#') as [string, string];
      yield [room, Number(seq)];
    }
  }
}
