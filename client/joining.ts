import { updateComposer } from './composer.js';
import { countChars, ui } from './dom.js';
import type { GapFiller } from './gaps.js';
import type { Link } from './link.js';
import type { MessageLog } from './message-log.js';
import type { OlderPages } from './older.js';
import type { Outbox } from './outbox.js';
import { saved } from './saved.js';
import { resolveServer } from './server.js';
import type { Session } from './session.js';
import type { Timeline } from './timeline.js';

const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const CONTROL = /\p{Cc}/u;

const validName = (name: string) => {
  const n = countChars(name);
  return n >= 1 && n <= 32 && !CONTROL.test(name);
};

/** Shows why the form cannot join (or nothing, for ''). */
const showJoinError = (text: string) => {
  ui.joinError.textContent = text;
  ui.joinError.hidden = !text;
};

/** Whether a room and name are valid; if not, says which is wrong and focuses it. */
const checkJoin = (room: string, name: string) => {
  const roomOk = ROOM_PATTERN.test(room);
  const nameOk = validName(name);
  ui.joinRoom.setAttribute('aria-invalid', String(!roomOk));
  ui.joinName.setAttribute('aria-invalid', String(!nameOk));
  if (roomOk && nameOk) return true;
  showJoinError(
    roomOk
      ? 'Your name must be 1–32 characters, without control characters.'
      : 'The room name can only use letters, digits, “_” and “-” (up to 64).',
  );
  (roomOk ? ui.joinName : ui.joinRoom).focus();
  return false;
};

/** Everything joining and leaving sets up or clears. */
export interface JoiningParts {
  params: URLSearchParams;
  session: Session;
  log: MessageLog;
  timeline: Timeline;
  outbox: Outbox;
  older: OlderPages;
  gaps: GapFiller;
  link: Link;
  /** What the page knows of the room beside its messages (presence, typing, updates). */
  room: readonly { clear(): void }[];
}

/**
 * Joining a room (its server resolved on the first join, its saved drafts loaded, the address
 * updated, the chat shown and connected) and leaving it for the join form.
 */
export const createJoining = ({
  params,
  session,
  log,
  timeline,
  outbox,
  older,
  gaps,
  link,
  room,
}: JoiningParts) => {
  /** Joins `room` as `name` once both are valid and the server is known. */
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

  /** Leaves the room: closes the connection, forgets what it showed, shows the join form. */
  const leave = () => {
    session.joined = false;
    link.clearRetry();
    gaps.clear();
    link.close('leave');
    outbox.clear();
    log.clear();
    timeline.clear();
    for (const part of room) part.clear();
    ui.notice.hidden = true;
    const url = new URL(location.href);
    url.searchParams.delete('room');
    history.replaceState(null, '', url);
    ui.chatView.hidden = true;
    ui.joinView.hidden = false;
    timeline.updateTitle();
    ui.joinRoom.focus();
  };
  return { join, leave };
};
