import * as v from 'valibot';
import { CAPABILITIES, type Capability, sortedCapabilities } from '../protocol/capabilities.js';
import { firstIssue } from '../protocol/issues.js';

/** Entries a `rooms` claim may hold: a token is no place for a room directory. */
export const ROOMS_CLAIM_MAX_ENTRIES = 100;

/**
 * A room name (1-64 letters, digits, `_` or `-`, as `?room=` takes), or a prefix pattern: such
 * a prefix (possibly empty) and `*`, at most 65 characters. `*` alone matches every room.
 */
const ROOM_OR_PATTERN = /^(?:[A-Za-z0-9_-]{1,64}|[A-Za-z0-9_-]{0,64}\*)$/;

const CapabilityList = v.pipe(
  v.array(
    v.picklist(CAPABILITIES, `capabilities must be among ${CAPABILITIES.join(', ')}`),
    'each entry must be a list of capabilities',
  ),
  v.maxLength(CAPABILITIES.length, `a room's capabilities are at most ${CAPABILITIES.length}`),
);

/** The JWT's optional `rooms` claim: room name or pattern → capabilities there. */
export const RoomsClaim = v.pipe(
  v.record(
    v.pipe(
      v.string(),
      v.regex(
        ROOM_OR_PATTERN,
        'each key must be a room name, a prefix pattern ending in "*" (at most 65 characters), or "*"',
      ),
    ),
    CapabilityList,
    'it must be an object mapping rooms to lists of capabilities',
  ),
  v.check(
    (rooms) => Object.keys(rooms).length <= ROOMS_CLAIM_MAX_ENTRIES,
    `it may hold at most ${ROOMS_CLAIM_MAX_ENTRIES} entries`,
  ),
);

export type RoomsClaim = v.InferOutput<typeof RoomsClaim>;

/** The claim as the token carried it, checked; the reason when it is not such an object. */
export const checkRoomsClaim = (
  claim: unknown,
): { ok: true; rooms: RoomsClaim } | { ok: false; reason: string } => {
  // A record schema reads a list as an object keyed "0", "1", …: a list is no such object.
  const parsed = v.safeParse(RoomsClaim, Array.isArray(claim) ? undefined : claim);
  return parsed.success
    ? { ok: true, rooms: parsed.output }
    : { ok: false, reason: `the token's "rooms" claim is not valid: ${firstIssue(parsed.issues)}` };
};

/**
 * What the claim lets a connection do in `room`: the most specific entry that matches decides
 * alone (entries are never added together): the room's own name, else the longest prefix
 * pattern it starts with (`*` alone being the shortest), else nothing at all.
 */
export const capabilitiesIn = (rooms: RoomsClaim, room: string): Capability[] => {
  const exact = Object.hasOwn(rooms, room) ? rooms[room] : undefined;
  if (exact) return sortedCapabilities(exact);
  let best: { prefix: string; capabilities: readonly Capability[] } | undefined;
  for (const [key, capabilities] of Object.entries(rooms)) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (room.startsWith(prefix) && (best === undefined || prefix.length > best.prefix.length)) {
      best = { prefix, capabilities };
    }
  }
  return best ? sortedCapabilities(best.capabilities) : [];
};
