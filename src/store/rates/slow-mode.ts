/**
 * Slow mode: each person may send one message per N seconds in a room. A GCRA rate of one
 * message per N seconds with a burst of one, on an item per room and person (`slowModeKey`),
 * charged with one conditional write; a container that saw it spent refuses without a write.
 */

import type { TableRef } from '../dynamo/client.js';
import { slowModeKey } from '../dynamo/keys.js';
import { type Charged, chargeRate, type KnownTimes } from './gcra.js';

/** How long an item outlives its last charge: by then it holds nothing. */
const TTL_MARGIN_SECONDS = 60 * 60;

/** Charges one message to a person's slow-mode rate in a room of `seconds` (at least 1). */
export const chargeSlowMode = (
  { known, ...deps }: TableRef & { known: KnownTimes },
  room: string,
  userId: string,
  seconds: number,
  now: number,
): Promise<Charged> =>
  chargeRate(deps, known, {
    key: slowModeKey(room, userId),
    attribute: 'tat',
    rate: { perSecond: 1 / seconds, burst: 1 },
    cost: 1,
    now,
    also: {
      set: ['expiresAt = :expiresAt'],
      values: { ':expiresAt': Math.floor(now / 1000) + seconds + TTL_MARGIN_SECONDS },
    },
  });
