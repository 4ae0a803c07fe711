/** Counting a room's live members: a sample of one Query, or the whole room. */

import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { ClockedTableRef } from '../dynamo/client.js';
import { MEMBER_PREFIX, roomPk } from '../dynamo/keys.js';
import type { Member } from '../types.js';
import { sampleMembers } from './connections.js';

/** Who is in a room, from one Query of its first member items. */
export interface RoomSample {
  /** Live connections among the items read: the room's count when `complete`. */
  count: number;
  /** Their distinct names, sorted, at most `namesShown`. */
  names: string[];
  /**
   * The distinct people among them (by `userId`; members stored before identities have none and
   * are left out), sorted by name, then id, at most `namesShown`; `tabs` is how many of the
   * connections read are theirs, given only when more than one.
   */
  members: { userId: string; name: string; tabs?: number }[];
  /** More names exist than listed (or may: the Query did not read the whole room). */
  more: boolean;
  /** The Query read every member item of the room. */
  complete: boolean;
}

/**
 * Samples a room with one Query of at most `limit` member items (past-TTL members left out):
 * a small room's exact count and names, or a big room's first names.
 */
export const sampleRoom = async (
  deps: ClockedTableRef,
  room: string,
  { limit, namesShown }: { limit: number; namesShown: number },
): Promise<RoomSample> => {
  const { members, complete } = await sampleMembers(deps, room, limit);
  const distinct = [...new Set(members.map((member) => member.name))].sort();
  return {
    count: members.length,
    names: distinct.slice(0, namesShown),
    members: distinctPeople(members).slice(0, namesShown),
    more: distinct.length > namesShown || !complete,
    complete,
  };
};

/**
 * One entry per `userId` (its first connection's name), sorted by name, then by id, with its
 * number of connections when more than one: a page can then count people, not tabs.
 */
const distinctPeople = (members: readonly Member[]) => {
  const people = new Map<string, { name: string; tabs: number }>();
  for (const { userId, name } of members) {
    if (!userId) continue;
    const known = people.get(userId);
    if (known) known.tabs++;
    else people.set(userId, { name, tabs: 1 });
  }
  return [...people]
    .map(([userId, { name, tabs }]) => (tabs > 1 ? { userId, name, tabs } : { userId, name }))
    .sort((a, b) => compare(a.name, b.name) || compare(a.userId, b.userId));
};

/** The order of `Array.prototype.sort` without a comparator: by UTF-16 code units. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Counts a room's live connections, however many: a paginated `Select: COUNT` Query of its
 * member items (never a Scan), past-TTL members filtered out. Reads every member item, so its
 * callers keep it to a bounded rate and cache the result.
 */
export const countMembers = async ({ client, tableName, now }: ClockedTableRef, room: string) => {
  let count = 0;
  const pages = paginateQuery(
    { client },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      FilterExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now',
      ExpressionAttributeValues: {
        ':pk': roomPk(room),
        ':member': MEMBER_PREFIX,
        ':now': now() / 1000,
      },
      Select: 'COUNT',
      ConsistentRead: true,
    },
  );
  for await (const page of pages) count += page.Count ?? 0;
  return count;
};
