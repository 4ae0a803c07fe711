import { ui } from './dom.js';
import { saved } from './saved.js';
import { tokenClaims } from './token.js';

/**
 * Fills the join form from the address (and the name saved last time), and joins at once when
 * the address names both the room and who is joining. With a sign-in token that names its user,
 * the server takes the name from it.
 */
export const joinFromAddress = (
  params: URLSearchParams,
  token: string | null,
  join: (room: string, name: string) => Promise<void>,
) => {
  const claimed = tokenClaims(token)?.name;
  const roomAsked = params.get('room') ?? '';
  const given = (typeof claimed === 'string' ? claimed : null) ?? params.get('name');
  const remembered = saved.get('chat:name', '');
  const nameShown = given ?? (typeof remembered === 'string' ? remembered : '');
  ui.joinRoom.value = roomAsked || 'general';
  ui.joinName.value = nameShown;
  if (roomAsked && given) void join(roomAsked.trim(), nameShown.trim());
  else (roomAsked ? ui.joinName : ui.joinRoom).focus();
};
