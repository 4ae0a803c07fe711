// The browser client. Each part owns its state and gets what it needs of the others here; the
// build (scripts/build-client.ts) bundles them into the top-level client.html.
import { createAttention } from './attention.js';
import { createCaughtUp } from './caught-up.js';
import { exposeDebugHook } from './debug-hook.js';
import { ui } from './dom.js';
import { createEdits } from './edits.js';
import { joinFromAddress } from './first-join.js';
import { createFrameReader } from './frames.js';
import { createGapFiller } from './gaps.js';
import { createJoining } from './joining.js';
import { ownKey } from './key.js';
import { createLink } from './link.js';
import { createLogWatch } from './log-watch.js';
import { wireMessageKeys } from './message-keys.js';
import { createMessageLog } from './message-log.js';
import { createMessageTools } from './message-tools.js';
import { createModPanel } from './mod-panel.js';
import { createModeration } from './moderation.js';
import { createOlderPages } from './older.js';
import { createOutbox } from './outbox.js';
import { wirePageEvents } from './page-events.js';
import { createPeople } from './people.js';
import { createPresence } from './presence.js';
import { createRemoval } from './removal.js';
import { createRoomFrameReader } from './room-frames.js';
import { createRoomRules } from './room-rules.js';
import { forgetRoomSession, newSession } from './session.js';
import { applySessionFrame } from './session-frame.js';
import { createTimeline } from './timeline.js';
import { takeToken } from './token.js';
import { createTyping } from './typing.js';
import { createUpdates } from './updates.js';

/** Builds the page's parts, wires them to the page, and joins at once if the address says where. */
const start = () => {
  const params = new URLSearchParams(location.search);
  const token = takeToken();
  const key = ownKey();
  const session = newSession();
  const log = createMessageLog();
  const people = createPeople(() => {
    timeline.renames();
    presence.render();
  });
  const live = () => link.current;
  const older = createOlderPages({ log, live, renderTop: () => timeline.renderTop() });
  const outbox = createOutbox({ session, live });
  const edits = createEdits({ log, live });
  const tools = createMessageTools(edits, session);
  wireMessageKeys(log, tools);
  const updates = createUpdates({
    log,
    changed: (entry) => {
      timeline.changed(entry);
      tools.refresh(entry);
    },
  });
  const timeline = createTimeline({
    log,
    session,
    people,
    older,
    delivered: outbox.delivered,
    isOwn: outbox.isOwn,
    shown: (entry) => {
      tools.attach(entry);
      updates.shown(entry);
    },
    again: updates.again,
    arrived: (m) => attention.arrived(m),
    restyled: tools.restyle,
  });
  const attention = createAttention(session);
  const rules = createRoomRules(session);
  const moderation = createModeration({
    session,
    log,
    timeline,
    people,
    rulesChanged: () => {
      rules.render();
      modPanel.render();
    },
    standingChanged: () => modPanel.standing(),
  });
  const modPanel = createModPanel({ session, live, moderation, people });
  const presence = createPresence({ session, live, people, pick: modPanel.pick });
  const typing = createTyping({ session, live });
  const gaps = createGapFiller({
    log,
    live,
    loadingOlder: () => older.inFlight,
    resume: () => link.close('gap'),
  });
  const link = createLink({
    session,
    token,
    key,
    resumeAfter: log.highestContiguousSeq,
    changed: outbox.render,
    opened: () => {
      removal.connected();
      outbox.pump();
    },
    frame: (conn, data) => readFrame(conn, data),
    dropped: () => {
      outbox.dropped();
      edits.dropped();
      presence.dropped();
      typing.clear();
      older.settle();
      timeline.renderTop();
    },
    refusal: () => removal.refusal(),
  });
  const removal = createRemoval({ session, link });
  const logWatch = createLogWatch({ log, timeline, gaps, updates, moderation, older, link });
  /** A `session` frame: who this page is in the room, what it may do, the room's settings. */
  const identity = (frame: Record<string, unknown>) => {
    const applied = applySessionFrame(session, frame);
    if (!applied) return;
    ui.me.textContent = `as ${applied.name}`;
    rules.render();
    modPanel.render();
    presence.render();
    if (applied.changed) timeline.reown();
  };
  const parts = {
    ...{ session, log, timeline, outbox, older, gaps, link, updates, edits, typing },
    ...{ moderation, rules, removal, logWatch },
  };
  const roomFrame = createRoomFrameReader({ ...parts, presence, identity });
  const caughtUp = createCaughtUp(log);
  const readFrame = createFrameReader({ ...parts, roomFrame, caughtUp });
  const forgetSession = { clear: () => forgetRoomSession(session) };
  const { join, leave } = createJoining({
    ...parts,
    params,
    room: [forgetSession, presence, typing, updates, people, moderation, modPanel, rules, caughtUp],
  });

  wirePageEvents({ join, leave, outbox, rules, timeline, older, link, typing, attention });
  exposeDebugHook(log, link);
  joinFromAddress(params, token, join);
};

start();
