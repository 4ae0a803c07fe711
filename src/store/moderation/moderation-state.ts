/**
 * How a room's moderation state is laid out on its item (`moderationKey`). The state is a set of
 * registers, each holding the value the latest event that set it gave it, with that event's seq:
 * `ban#<userId>` and `mute#<userId>` (a restriction, or `lifted`), `set#slowModeSeconds` and
 * `set#readOnly`. Each event sets whole registers, so folding the log in seq order is the same as
 * keeping, per register, the value of the highest seq: writes may land in any order, and one never
 * overwrites a later seq's value (see `moderation.ts`).
 *
 * Registers no longer in force (lifted, or past their `until`) are pruned by later writes. `floor`
 * is the highest seq of a write that pruned: a register absent now may have held a value up to
 * there, so a write below it cannot tell whether it is the latest, and claims a new seq instead.
 */

import { itemBytes } from '../dynamo/write-units.js';
import type { ModerationEvent, Restriction, RoomModeration } from './moderation-types.js';

type Item = Record<string, unknown>;

/** The attribute of the seq below which a missing register may have been pruned. */
export const FLOOR = 'floor';

/** Attribute name prefixes: a restriction's register is the prefix and the person's public id. */
const BAN = 'ban#';
const MUTE = 'mute#';
const SLOW_MODE = 'set#slowModeSeconds';
const READ_ONLY = 'set#readOnly';

/** Bans and mutes in force in one room at most: past it, another is refused until some end. */
export const MAX_RESTRICTIONS = 1_000;

/**
 * The most the item may grow to by a new ban or mute: far under DynamoDB's 400 KB, and what one
 * read of it costs each container each second stays small (a full one is 25 read units).
 */
export const MAX_STATE_BYTES = 100_000;

/** Registers one write prunes at most: its expression stays far under DynamoDB's 4 KB. */
const MAX_PRUNED_PER_WRITE = 25;

/** One register's new value, as an event sets it. */
export interface RegisterWrite {
  name: string;
  value: Item;
}

/** A register as stored: its value and the seq of the event that set it. */
type Register = Item & { seq: number };

const isRegister = (value: unknown): value is Register =>
  typeof value === 'object' && value !== null && typeof (value as Item).seq === 'number';

/** The registers an event sets (none for a kick, which changes no state). */
export const registersOf = (event: ModerationEvent): RegisterWrite[] => {
  const { seq, action, userId, by, reason, until } = event;
  switch (action) {
    case 'ban':
    case 'mute':
      return [
        {
          name: `${action === 'ban' ? BAN : MUTE}${userId}`,
          value: {
            seq,
            by: by.userId,
            ...(until !== undefined ? { until: Date.parse(until) } : {}),
            ...(reason !== undefined ? { reason } : {}),
          },
        },
      ];
    case 'unban':
    case 'unmute':
      return [
        { name: `${action === 'unban' ? BAN : MUTE}${userId}`, value: { seq, lifted: true } },
      ];
    case 'roomsettings':
      return [
        ...(event.slowModeSeconds !== undefined
          ? [{ name: SLOW_MODE, value: { seq, value: event.slowModeSeconds } }]
          : []),
        ...(event.readOnly !== undefined
          ? [{ name: READ_ONLY, value: { seq, value: event.readOnly } }]
          : []),
      ];
    default:
      return [];
  }
};

/** Whether an event at `seq` setting register `name` is the latest to, as far as `item` tells. */
export type Standing = 'latest' | 'superseded' | 'unknowable';

export const standingOf = (item: Item, name: string, seq: number): Standing => {
  const register = item[name];
  if (isRegister(register)) return register.seq < seq ? 'latest' : 'superseded';
  const floor = item[FLOOR];
  return typeof floor === 'number' && floor >= seq ? 'unknowable' : 'latest';
};

/** A register that no longer says anything (lifted, or past its end) and may be pruned. */
const isSpent = (register: Register, now: number) =>
  register.lifted === true || (typeof register.until === 'number' && register.until <= now);

/** The registers a write at `seq` may prune, with the seq each holds (it prunes only that). */
export const prunableOf = (item: Item, seq: number, now: number) =>
  Object.entries(item)
    .filter(
      (entry): entry is [string, Register] =>
        (entry[0].startsWith(BAN) || entry[0].startsWith(MUTE)) &&
        isRegister(entry[1]) &&
        entry[1].seq < seq &&
        isSpent(entry[1], now),
    )
    .slice(0, MAX_PRUNED_PER_WRITE)
    .map(([name, register]) => ({ name, seq: register.seq }));

/** A restriction register in force now, as the state's view gives it. */
const toRestriction = (register: Register): Restriction => ({
  seq: register.seq,
  by: typeof register.by === 'string' ? register.by : '',
  ...(typeof register.until === 'number' ? { until: register.until } : {}),
  ...(typeof register.reason === 'string' ? { reason: register.reason } : {}),
});

/** The room's state as the item holds it (a room never moderated has no item: all off). */
export const toRoomModeration = (item: Item | undefined): RoomModeration => {
  const bans = new Map<string, Restriction>();
  const mutes = new Map<string, Restriction>();
  for (const [name, register] of Object.entries(item ?? {})) {
    if (!isRegister(register) || register.lifted === true) continue;
    if (name.startsWith(BAN)) bans.set(name.slice(BAN.length), toRestriction(register));
    if (name.startsWith(MUTE)) mutes.set(name.slice(MUTE.length), toRestriction(register));
  }
  const slow = item?.[SLOW_MODE];
  const readOnly = item?.[READ_ONLY];
  return {
    bans,
    mutes,
    slowModeSeconds: isRegister(slow) && typeof slow.value === 'number' ? slow.value : 0,
    readOnly: isRegister(readOnly) && readOnly.value === true,
  };
};

/** Bans and mutes in force at `now` on the item. */
export const restrictionsInForce = (item: Item, now: number) =>
  Object.entries(item).filter(
    ([name, register]) =>
      (name.startsWith(BAN) || name.startsWith(MUTE)) &&
      isRegister(register) &&
      !isSpent(register, now),
  ).length;

/** The item's size once these registers are set, as DynamoDB counts it. */
export const bytesAfter = (item: Item, writes: RegisterWrite[]) =>
  itemBytes({ ...item, ...Object.fromEntries(writes.map(({ name, value }) => [name, value])) });

/** Whether a register is a ban's or mute's in force at `now` on the item. */
export const inForce = (item: Item, name: string, now: number) => {
  const register = item[name];
  return isRegister(register) && !isSpent(register, now);
};
