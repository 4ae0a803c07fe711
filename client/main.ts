// The browser client. Each part owns its state and gets what it needs of the others here; the
// build (scripts/build-client.ts) bundles them into the top-level client.html.
import { updateComposer, wireComposer } from './composer.js';
import { createLink } from './connection.js';
import { ui } from './dom.js';
import { createFrameReader } from './frames.js';
import { createGapFiller } from './gaps.js';
import { checkJoin, showJoinError } from './join-form.js';
import { createMessageLog } from './message-log.js';
import { createOlderPages } from './older.js';
import { createOutbox } from './outbox.js';
import { saved } from './saved.js';
import { resolveServer } from './server.js';
import type { Session } from './session.js';
import { createTimeline } from './timeline.js';
import { takeToken, tokenClaims } from './token.js';

const params = new URLSearchParams(location.search);
const token = takeToken();
const session: Session = { server: null, room: '', name: '', joined: false };
const log = createMessageLog();
const live = () => link.current;
const older = createOlderPages({ log, live, renderTop: () => timeline.renderTop() });
const outbox = createOutbox({ session, live });
const timeline = createTimeline({
  log,
  session,
  older,
  delivered: outbox.delivered,
  isOwn: outbox.isOwn,
});
const gaps = createGapFiller({
  log,
  live,
  loadingOlder: () => older.inFlight,
  resume: () => link.close('gap'),
});
const link = createLink({
  session,
  token,
  resumeAfter: log.highestContiguousSeq,
  changed: outbox.render,
  opened: outbox.pump,
  frame: (conn, data) => readFrame(conn, data),
  dropped: () => {
    outbox.dropped();
    older.settle();
    timeline.renderTop();
  },
});
const readFrame = createFrameReader({
  session,
  log,
  timeline,
  outbox,
  older,
  link,
  reviewGap: gaps.review,
});

const join = async (room: string, name: string) => {
  if (!checkJoin(room, name)) return;
  ui.joinButton.disabled = true;
  try {
    if (!session.server) {
      const { ignored, ...server } = await resolveServer(params);
      session.server = server;
      ui.statusNote.hidden = !ignored;
      ui.statusNote.title =
        'This page always uses its own chat server (from its config.json); the address in ?url= was ignored.';
    }
  } catch (error) {
    ui.joinButton.disabled = false;
    return showJoinError((error as Error).message);
  }
  ui.joinButton.disabled = false;
  showJoinError('');
  saved.set('chat:name', name);
  Object.assign(session, { room, name, joined: true });
  link.reset();
  older.reset();
  outbox.load();
  const url = new URL(location.href);
  url.searchParams.set('room', room);
  url.searchParams.set('name', name);
  history.replaceState(null, '', url);
  ui.roomTitle.textContent = `#${room}`;
  ui.me.textContent = `as ${name}`;
  ui.input.placeholder = `Message #${room}`;
  ui.log.setAttribute('aria-label', `Messages in #${room}`);
  ui.joinView.hidden = true;
  ui.chatView.hidden = false;
  timeline.seen();
  timeline.renderTop();
  updateComposer();
  ui.input.focus();
  link.connect();
};

const leave = () => {
  session.joined = false;
  link.clearRetry();
  gaps.clear();
  link.close('leave');
  outbox.clear();
  log.clear();
  timeline.clear();
  ui.notice.hidden = true;
  const url = new URL(location.href);
  url.searchParams.delete('room');
  history.replaceState(null, '', url);
  ui.chatView.hidden = true;
  ui.joinView.hidden = false;
  timeline.updateTitle();
  ui.joinRoom.focus();
};

ui.joinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void join(ui.joinRoom.value.trim(), ui.joinName.value.trim());
});
wireComposer((text) => {
  outbox.add(text);
  ui.input.value = '';
  updateComposer();
  timeline.scrollToBottom();
  outbox.pump();
});
ui.log.addEventListener(
  'scroll',
  () => {
    timeline.scrolled();
    older.maybeLoad();
  },
  { passive: true },
);
ui.newPill.addEventListener('click', () => {
  timeline.scrollToBottom();
  ui.input.focus();
});
ui.loadOlder.addEventListener('click', () => older.maybeLoad(true));
ui.retryNow.addEventListener('click', () => {
  link.resetAttempts();
  link.reconnectNow();
});
ui.leave.addEventListener('click', leave);
ui.noticeClose.addEventListener('click', () => {
  ui.notice.hidden = true;
  ui.input.focus();
});
addEventListener('online', () => link.reconnectNow());
addEventListener('offline', () => link.close('offline'));
document.addEventListener('visibilitychange', () => {
  if (document.hidden) return;
  timeline.seen();
  if (link.retrying) link.reconnectNow();
});
// Keep the newest message in view when the log shrinks (the composer grows, a phone keyboard opens).
new ResizeObserver(() => {
  if (timeline.atBottom) timeline.scrollToBottom();
}).observe(ui.log);

// A small debug hook (also used by the browser tests): the live socket and the view state.
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
    /** The seq a reconnect resumes after: every seq up to it holds a message or is skipped. */
    get contiguous() {
      return log.highestContiguousSeq();
    },
  }),
});

// With a sign-in token that names its user, the server takes the name from it.
const claimed = tokenClaims(token)?.name;
const room = params.get('room') ?? '';
const given = (typeof claimed === 'string' ? claimed : null) ?? params.get('name');
const remembered = saved.get('chat:name', '');
const name = given ?? (typeof remembered === 'string' ? remembered : '');
ui.joinRoom.value = room || 'general';
ui.joinName.value = name;
if (room && given) void join(room.trim(), name.trim());
else (room ? ui.joinName : ui.joinRoom).focus();
