import type { Connection } from './connection.js';
import type { Edits } from './edits.js';
import { createErrorReader } from './errors.js';
import type { GapFiller } from './gaps.js';
import type { Link } from './link.js';
import type { LogWatch } from './log-watch.js';
import type { MessageLog } from './message-log.js';
import type { Moderation } from './moderation.js';
import { type ModerationEvent, readModeration } from './moderation-event.js';
import type { OlderPages } from './older.js';
import type { Outbox } from './outbox.js';
import type { Removal } from './removal.js';
import type { RoomRules } from './room-rules.js';
import type { Session } from './session.js';
import { notice } from './status.js';
import type { Timeline } from './timeline.js';
import type { Typing } from './typing.js';
import type { Updates } from './updates.js';
import { type ChatMessage, isMessage, isSeq, readUpdate, type Update } from './wire.js';

/** Everything a frame can change. */
export interface FrameParts {
  session: Session;
  log: MessageLog;
  timeline: Timeline;
  outbox: Outbox;
  older: OlderPages;
  link: Link;
  gaps: GapFiller;
  updates: Updates;
  edits: Edits;
  typing: Typing;
  moderation: Moderation;
  rules: RoomRules;
  removal: Removal;
  /** Which log the page's seqs are from: a history frame naming another starts the page over. */
  logWatch: LogWatch;
  /** Reads a frame about the room rather than its messages; false for any other type. */
  roomFrame: (frame: Record<string, unknown>) => boolean;
  caughtUp: { replayed(conn: Connection, list: readonly ChatMessage[]): void };
}

/**
 * Reads the server's frames: messages (alone, or in a busy room's batch), history pages (and
 * their limits, and the updates and moderation events they carry) and errors; the room's other
 * frames go to `roomFrame`.
 */
export const createFrameReader = (parts: FrameParts) => {
  const { session, log, timeline, older, link, gaps, updates, edits, typing, roomFrame } = parts;
  const { moderation } = parts;
  const error = createErrorReader(parts);

  const catchUpLater = (conn: Connection, wait: number) => {
    clearTimeout(conn.catchUpTimer);
    conn.catchUpTimer = setTimeout(() => {
      if (link.current === conn) link.close('catch-up');
    }, wait);
  };
  const historyFrame = (conn: Connection, frame: Record<string, unknown>) => {
    if (parts.logWatch.changed(conn, frame)) return;
    const list = Array.isArray(frame.messages)
      ? frame.messages.filter((m) => isMessage(m, session.room))
      : [];
    const skipped = Array.isArray(frame.skipped) ? frame.skipped.filter(isSeq) : [];
    const changes = Array.isArray(frame.updates)
      ? frame.updates.map(readUpdate).filter((u): u is Update => u !== null)
      : [];
    const events = Array.isArray(frame.moderation)
      ? frame.moderation.map(readModeration).filter((e): e is ModerationEvent => e !== null)
      : [];
    const hasMore = frame.hasMore === true;
    // An answer to a `history` request echoes its `before`; the replay on connect has none. An
    // answer may span several frames: the first one settles its request, and the rest (like a late
    // answer to a request given up on) only bring messages.
    if (frame.before === undefined) {
      const ready = !conn.replaySeen;
      conn.replaySeen = true;
      // Typing that began before the connection was ready is told now (once; throttled as ever).
      if (ready) typing.typed();
      link.resetAttempts();
      if (!conn.resume) older.answered(hasMore);
      // A resume is capped; when more is waiting, resume again from what arrived.
      else if (hasMore) catchUpLater(conn, 400);
    } else if (frame.before === conn.olderBefore) {
      conn.olderBefore = null;
      older.settle();
      older.answered(hasMore);
    } else if (frame.before === conn.gapBefore) {
      conn.gapBefore = null;
    }
    for (const seq of skipped) log.skip(seq);
    if (frame.before === undefined) parts.caughtUp.replayed(conn, list);
    timeline.apply(list, false);
    for (const u of changes) {
      updates.apply(u);
      edits.answered(u.target);
    }
    for (const e of events) moderation.event(e, false);
    timeline.renderTop();
    requestAnimationFrame(() => older.maybeLoad());
    gaps.review();
  };
  // History (a request, or the replay on connect) over its budget: nothing to do with the messages
  // being sent. A replay cut short is resumed once the budget allows; a request is simply over.
  const historyLimited = (conn: Connection, retryAfterMs: number) => {
    const wait = Math.min(60_000, Math.max(1000, retryAfterMs));
    if (!conn.replaySeen) catchUpLater(conn, wait);
    const seconds = Math.ceil(wait / 1000);
    if (older.inFlight) {
      conn.olderBefore = null;
      older.settle();
      older.pause(wait);
      timeline.renderTop();
      notice(`Older messages are limited for a moment: try again in ${seconds} s.`);
    } else if (!conn.replaySeen) {
      notice(`History is limited for a moment: the rest follows in ${seconds} s.`);
    }
  };
  /** Messages as they are sent (not read from the log): shown, and their senders done typing. */
  const live = (list: ChatMessage[]) => {
    if (list.length === 0) return;
    timeline.apply(list, true);
    for (const m of list) typing.stopped(m.sender);
    gaps.review();
  };
  /** Handles one frame of the live connection; anything malformed is ignored. */
  return (conn: Connection, data: string) => {
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    const f = frame as Record<string, unknown>;
    if (roomFrame(f)) return;
    if (f.type === 'message') {
      if (isMessage(f, session.room)) live([f]);
    } else if (f.type === 'messages') {
      // A busy room's batch: its entries, in order, as if each had come as a `message` frame.
      const here = f.room === undefined || f.room === session.room;
      const list = here && Array.isArray(f.messages) ? f.messages : [];
      live(list.filter((m) => isMessage(m, session.room)));
    } else if (f.type === 'history') {
      historyFrame(conn, f);
    } else if (f.type === 'error' && f.code === 'rate_limited' && f.action === 'history') {
      historyLimited(conn, Number(f.retryAfterMs) || 1000);
    } else if (f.type === 'error') {
      const { until, retryAfterMs, id } = f;
      error(String(f.code), typeof f.message === 'string' ? f.message : '', f.action, {
        until,
        retryAfterMs,
        id,
      });
    } else if (f.type === undefined && typeof f.message === 'string') {
      // API Gateway's own frame when the function failed: {"message":"Internal server error",...}
      error('gateway', f.message);
    }
  };
};
