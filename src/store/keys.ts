/** Key prefixes and key builders: the only place that knows how items are addressed. */

import { createHash } from 'node:crypto';

const SEQ_DIGITS = 12;

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

const networkOf = (ip: string) => {
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

export const headKey = (room: string) => ({ pk: roomPk(room), sk: 'HEAD' });

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

/** Zero-padded so that sort-key order is numeric order. */
export const messageSk = (seq: number) => `MSG#${String(seq).padStart(SEQ_DIGITS, '0')}`;

export const messageKey = (room: string, seq: number) => ({ pk: roomPk(room), sk: messageSk(seq) });

/** The highest seq the padding can express; bounds "everything after N" queries. */
export const MAX_SEQ = 10 ** SEQ_DIGITS - 1;

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
