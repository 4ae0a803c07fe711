import { countChars, ui } from './dom.js';

const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const CONTROL = /\p{Cc}/u;

const validName = (name: string) => {
  const n = countChars(name);
  return n >= 1 && n <= 32 && !CONTROL.test(name);
};

/** Shows why the form cannot join (or nothing, for ''). */
export const showJoinError = (text: string) => {
  ui.joinError.textContent = text;
  ui.joinError.hidden = !text;
};

/** Whether a room and name are valid; if not, says which is wrong and focuses it. */
export const checkJoin = (room: string, name: string) => {
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
