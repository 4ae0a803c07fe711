import type { TableRef } from './client.js';
import { toConnection } from './connections.js';
import { chargeRate, type KnownTimes, type Rate } from './gcra.js';
import { connectionKey, sourceKey } from './keys.js';
import type { Connection } from './types.js';

type StoreAccess = TableRef & {
  known: KnownTimes;
};

/**
 * What a connection spends: `frames` for every frame it sends (a message, a request, or one
 * the chat cannot use), `history` for each message it asks the log for (and `who`), `typing`
 * for the `typing` broadcasts it causes.
 */
export type Budget = 'frames' | 'history' | 'typing';

const CONNECTION_ATTRIBUTE: Record<Budget, string> = {
  frames: 'tat',
  history: 'htat',
  typing: 'ytat',
};

export type Admission =
  | { outcome: 'admitted'; connection: Connection }
  | { outcome: 'limited'; retryAfterMs: number }
  | { outcome: 'unknown' };

/**
 * Reads the sender's connection and charges one of its budgets in the same write (see
 * `chargeRate`): a sender at a human pace costs one UpdateItem, which replaces the read it
 * needed anyway.
 */
export const admit = async (
  { known, ...deps }: StoreAccess,
  connectionId: string,
  { budget, rate, cost = 1 }: { budget: Budget; rate: Rate; cost?: number },
  now: number,
): Promise<Admission> => {
  const charged = await chargeRate(deps, known, {
    key: connectionKey(connectionId),
    attribute: CONNECTION_ATTRIBUTE[budget],
    rate,
    cost,
    now,
    mustExist: true,
  });
  if (charged.outcome === 'missing') return { outcome: 'unknown' };
  if (charged.outcome === 'limited') return charged;
  return { outcome: 'admitted', connection: toConnection(charged.item) };
};

/**
 * What one network (see `sourceKey`) spends over all its connections: new connections, frames,
 * and messages read from logs (history requests and replays).
 */
export type SourceBudget = 'connects' | 'frames' | 'history';

const SOURCE_ATTRIBUTE: Record<SourceBudget, string> = {
  connects: 'ctat',
  frames: 'ftat',
  history: 'htat',
};

/** How long a source's rate item outlives its last charge: long past any burst it could owe. */
const SOURCE_TTL_SECONDS = 24 * 60 * 60;

/** Charges a source's budget; the item is made on first use and expires when idle. */
export const chargeSource = async (
  { known, ...deps }: StoreAccess,
  sourceIp: string,
  { budget, rate, cost = 1 }: { budget: SourceBudget; rate: Rate; cost?: number },
  now: number,
): Promise<{ outcome: 'admitted' } | { outcome: 'limited'; retryAfterMs: number }> => {
  const charged = await chargeRate(deps, known, {
    key: sourceKey(sourceIp),
    attribute: SOURCE_ATTRIBUTE[budget],
    rate,
    cost,
    now,
    also: {
      set: ['expiresAt = :expiresAt'],
      values: { ':expiresAt': Math.floor(now / 1000) + SOURCE_TTL_SECONDS },
    },
  });
  return charged.outcome === 'limited' ? charged : { outcome: 'admitted' };
};
