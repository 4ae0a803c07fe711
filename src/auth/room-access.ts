import { type Capability, DEFAULT_CAPABILITIES } from '../protocol/capabilities.js';
import type { ModeratorAuthors } from './moderators.js';
import { capabilitiesIn, type RoomsClaim } from './room-claims.js';

/**
 * What a connection may do in its room. With a JWT: what its `rooms` claim gives there, or read
 * and send without the claim. Otherwise (open mode, the shared secret): read and send, and
 * moderate when its key is a moderator key.
 */
export const capabilitiesOf = async (
  connection: { author: string; subject?: string | undefined; rooms?: RoomsClaim | undefined },
  room: string,
  moderators: ModeratorAuthors | undefined,
): Promise<readonly Capability[]> => {
  if (connection.subject !== undefined) {
    return connection.rooms ? capabilitiesIn(connection.rooms, room) : DEFAULT_CAPABILITIES;
  }
  const moderating = moderators && (await moderators()).has(connection.author);
  return moderating ? [...DEFAULT_CAPABILITIES, 'moderate'] : DEFAULT_CAPABILITIES;
};
