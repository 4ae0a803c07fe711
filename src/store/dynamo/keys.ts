/** Key prefixes and key builders: the only place that knows how items are addressed. */

import { createHash } from 'node:crypto';
import { MAX_SEQ } from '../../protocol/limits.js';

const SEQ_DIGITS = String(MAX_SEQ).length;

export const connectionKey = (connectionId: string) => ({
  pk: `CONN#${connectionId}`,
  sk: 'META',
});

export const roomPk = (room: string) => `ROOM#${room}`;

/**
 * A room's members are spread over this many shards, by a hash of the connection id, so that a
 * big room's broadcast can be split across invocations that each read only their own shards.
 * Fixed: it is part of every member item's key.
 */
export const MEMBER_SHARDS = 16;

/** Which shard a connection's membership lives in: 0 to MEMBER_SHARDS - 1, stable. */
export const shardOf = (connectionId: string) =>
  (createHash('sha256').update(connectionId).digest()[0] as number) % MEMBER_SHARDS;

/** `CONN#07#`: every member of one shard, in the order a Query returns them. */
export const memberShardPrefix = (shard: number) =>
  `${MEMBER_PREFIX}${String(shard).padStart(2, '0')}#`;

/** Sorted by shard, then connection id: a Query over the room reads shard 0 first. */
export const memberKey = (room: string, connectionId: string) => ({
  pk: roomPk(room),
  sk: `${memberShardPrefix(shardOf(connectionId))}${connectionId}`,
});

export const MEMBER_PREFIX = 'CONN#';

/** The shard a member item's sort key names (`CONN#07#id` is 7). */
export const shardOfMemberSk = (sk: string) =>
  Number(sk.slice(MEMBER_PREFIX.length, MEMBER_PREFIX.length + 2));

/**
 * Where one network's rates are kept: an IPv4 address, or an IPv6 address's /64 (one
 * subscriber's whole prefix, so walking through its addresses does not reset the limits).
 */
export const sourceKey = (sourceIp: string) => ({ pk: `SRC#${networkOf(sourceIp)}`, sk: 'RATE' });

/**
 * The network an address belongs to, as rates and caps count it: the IPv4 address itself, or
 * the IPv6 address's /64 (`2001:db8:0:1::/64`). A network key passes through unchanged.
 */
export const networkOf = (ip: string) => {
  if (!ip.includes(':')) return ip;
  // An IPv4 address written as IPv6 (`::ffff:192.0.2.1`) is that IPv4 address.
  if (ip.includes('.')) return ip.slice(ip.lastIndexOf(':') + 1);
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
};

/**
 * Where one network's share of one room's rates is kept (see `room-share.ts`), in a partition
 * of its own, off the room's. The network is an IPv4 address or an IPv6 /56, wider than the
 * /64 of the other budgets: a /56 is what ISPs commonly delegate to one home (RIPE-690), so one
 * subscriber gets 256 /64s for nothing, and a share counted by /64 would be 256 shares to them.
 * Counting by /56 lumps together at worst the customers of an ISP that hands out single /64s
 * from one /56, and only within one room; the frame budgets stay per /64, where lumping
 * neighbours together would cost more.
 */
export const roomShareKey = (room: string, sourceIp: string) => ({
  pk: `SHARE#${room}#${wideNetworkOf(sourceIp)}`,
  sk: 'RATE',
});

/** An IPv4 address, or an IPv6 address's /56 (`2001:db8:0:100::/56`). */
export const wideNetworkOf = (ip: string) => {
  const network = networkOf(ip);
  if (!network.endsWith('::/64')) return network;
  const groups = network.slice(0, -'::/64'.length).split(':');
  const fourth = Number.parseInt(groups[3] ?? '0', 16) & 0xff00;
  return `${[...groups.slice(0, 3), fourth.toString(16)].join(':')}::/56`;
};

/** How many sockets one network holds open (see `occupancy.ts`), beside its rates. */
export const networkSocketsKey = (network: string) => ({
  pk: `SRC#${networkOf(network)}`,
  sk: 'SOCKETS',
});

/** How many members a room holds (see `occupancy.ts`); neither a member's nor a log's key. */
export const roomMembersKey = (room: string) => ({ pk: roomPk(room), sk: 'MEMBERS' });

export const headKey = (room: string) => ({ pk: roomPk(room), sk: 'HEAD' });

/**
 * A room's moderation state (see `moderation-state.ts`): its bans, mutes and settings, one item
 * in the room's partition, written in one transaction with each moderation event of its log.
 */
export const moderationKey = (room: string) => ({ pk: roomPk(room), sk: 'MODERATION' });

/**
 * One person's slow-mode rate in one room (see `slow-mode.ts`), in a partition of its own, off
 * the room's: only that person's messages ever charge it.
 */
export const slowModeKey = (room: string, userId: string) => ({
  pk: `SLOW#${room}#${userId}`,
  sk: 'RATE',
});

/**
 * A room's delivery lease and the messages waiting for it (see `delivery.ts`), in a partition of
 * its own, off the room's: every message writes it once more.
 */
export const deliveryKey = (room: string) => ({ pk: `DELIVERY#${room}`, sk: 'LEASE' });

/** A room's presence item: rate state of its notices and typing, its trailer, its cached count. */
export const presenceKey = (room: string) => ({ pk: roomPk(room), sk: 'PRESENCE' });

/**
 * A sender's idempotency record for one client id in one room. Its own partition per room and
 * author keeps these writes off the room's partition, and the author is hashed so that any
 * name (or token subject) makes a key of fixed length.
 */
export const idempotencyKey = (room: string, author: string, id: string) => ({
  pk: `IDEM#${room}#${createHash('sha256').update(author).digest('base64url')}`,
  sk: `ID#${id}`,
});

/** The deployment's own pepper, when none is configured (see pepper.ts): one item, made once. */
export const pepperKey = { pk: 'PEPPER', sk: 'PEPPER' } as const;

/** Zero-padded so that sort-key order is numeric order. */
export const messageSk = (seq: number) => `MSG#${String(seq).padStart(SEQ_DIGITS, '0')}`;

export const messageKey = (room: string, seq: number) => ({ pk: roomPk(room), sk: messageSk(seq) });

/** The highest seq the padding can express; bounds "everything after N" queries. */
export { MAX_SEQ };

/**
 * A message's revision: its current state once edited or deleted. Sorts right after the message,
 * so a range read of the log returns it beside its message.
 */
export const revisionSk = (seq: number) => `${messageSk(seq)}${REVISION_SUFFIX}`;

export const revisionKey = (room: string, seq: number) => ({
  pk: roomPk(room),
  sk: revisionSk(seq),
});

export const REVISION_SUFFIX = '#REV';
