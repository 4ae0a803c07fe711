import type { TableRef } from '../dynamo/client.js';
import { connectionKey, sourceKey } from '../dynamo/keys.js';
import { toConnection } from '../members/connections.js';
import type { Connection } from '../types.js';
import { chargeRate, type KnownTimes, provenRefusal, type Rate, type RateCharge } from './gcra.js';
import type { RefusalWindows } from './refusal-windows.js';
import { SOURCE_BLOCK_ATTRIBUTE } from './source-block.js';

type StoreAccess = TableRef & { known: KnownTimes };

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
  /** `by`: refused by the network's budget; absent: by the connection's own. */
  | { outcome: 'limited'; retryAfterMs: number; by?: 'network' }
  | { outcome: 'unknown' };

type Charge<B> = { budget: B; rate: Rate; cost?: number };

const connectionCharge = (
  connectionId: string,
  { budget, rate, cost = 1 }: Charge<Budget>,
  now: number,
): RateCharge => ({
  key: connectionKey(connectionId),
  attribute: CONNECTION_ATTRIBUTE[budget],
  rate,
  cost,
  now,
  mustExist: true,
});

/**
 * Reads the sender's connection and charges one of its budgets in the same write (see
 * `chargeRate`): a sender at a human pace costs one UpdateItem, which replaces the read it
 * needed anyway. A refused write also shows the connection's refusal window (see
 * `recordRefusal`), so a container learns it without writing.
 */
const chargeConnection = async (
  { known, windows, ...deps }: StoreAccess & { windows: RefusalWindows },
  connectionId: string,
  charge: Charge<Budget>,
  now: number,
): Promise<Admission> => {
  const charged = await chargeRate(deps, known, connectionCharge(connectionId, charge, now));
  if (charged.outcome === 'missing') return { outcome: 'unknown' };
  if (charged.outcome === 'limited') {
    if (charged.item) windows.learn(connectionId, charged.item);
    return { outcome: 'limited', retryAfterMs: charged.retryAfterMs };
  }
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

export type SourceCharged =
  | { outcome: 'admitted' }
  /** `blocked`: refused by the network's block (see `blockSource`), not by the budget. */
  | { outcome: 'limited'; retryAfterMs: number; blocked?: true };

const sourceCharge = (
  sourceIp: string,
  { budget, rate, cost = 1 }: Charge<SourceBudget>,
  now: number,
): RateCharge => ({
  key: sourceKey(sourceIp),
  attribute: SOURCE_ATTRIBUTE[budget],
  rate,
  cost,
  now,
  also: {
    set: ['expiresAt = :expiresAt'],
    values: { ':expiresAt': Math.floor(now / 1000) + SOURCE_TTL_SECONDS },
  },
  // New connections are also refused while the network is blocked, by the same write.
  ...(budget === 'connects' ? { blockedBy: SOURCE_BLOCK_ATTRIBUTE } : {}),
});

/** Charges a source's budget; the item is made on first use and expires when idle. */
export const chargeSource = async (
  { known, ...deps }: StoreAccess,
  sourceIp: string,
  charge: Charge<SourceBudget>,
  now: number,
): Promise<SourceCharged> => {
  const charged = await chargeRate(deps, known, sourceCharge(sourceIp, charge, now));
  if (charged.outcome !== 'limited') return { outcome: 'admitted' };
  return {
    outcome: 'limited',
    retryAfterMs: charged.retryAfterMs,
    ...(charged.blockedUntil === undefined ? {} : { blocked: true as const }),
  };
};

/**
 * Charges a frame to its connection and, unless `network` is absent, to its network, in
 * parallel. A refusal this container's memory proves (see `provenRefusal`) is decided before
 * either write is sent, so a flood costs neither: the frame is refused, and nothing else is
 * charged for it.
 */
export const admit = async (
  deps: StoreAccess & { windows: RefusalWindows },
  connectionId: string,
  own: Charge<Budget>,
  now: number,
  network?: { sourceIp: string; charge: Charge<SourceBudget> },
): Promise<Admission> => {
  const ownProven = provenRefusal(deps.known, connectionCharge(connectionId, own, now));
  if (ownProven) return { outcome: 'limited', ...retryOf(ownProven) };
  const networkProven =
    network && provenRefusal(deps.known, sourceCharge(network.sourceIp, network.charge, now));
  if (networkProven) return { outcome: 'limited', by: 'network', ...retryOf(networkProven) };
  const [connection, source] = await Promise.all([
    chargeConnection(deps, connectionId, own, now),
    network ? chargeSource(deps, network.sourceIp, network.charge, now) : undefined,
  ]);
  if (connection.outcome === 'admitted' && source?.outcome === 'limited') {
    return { outcome: 'limited', by: 'network', ...retryOf(source) };
  }
  return connection;
};

const retryOf = ({ retryAfterMs }: { retryAfterMs: number }) => ({ retryAfterMs });
