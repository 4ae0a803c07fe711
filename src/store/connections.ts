import {
  DeleteCommand,
  GetCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ClockedTableRef, TableRef } from './client.js';
import {
  connectionKey,
  MEMBER_PREFIX,
  memberKey,
  memberShardPrefix,
  roomPk,
  shardOfMemberSk,
} from './keys.js';
import type { Connection, Member } from './types.js';

/** API Gateway's maximum connection duration plus a margin: TTL removes what `$disconnect` missed. */
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60 + 15 * 60;

/** Writes the connection item and its room membership together. */
export const saveConnection = async ({ client, tableName }: TableRef, connection: Connection) => {
  const expiresAt = Math.floor(connection.connectedAt / 1000) + CONNECTION_TTL_SECONDS;
  await client.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: { ...connectionKey(connection.connectionId), ...connection, expiresAt },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...memberKey(connection.room, connection.connectionId),
              connectionId: connection.connectionId,
              name: connection.name,
              connectedAt: connection.connectedAt,
              expiresAt,
            },
          },
        },
      ],
    }),
  );
};

export const getConnection = async (
  { client, tableName }: TableRef,
  connectionId: string,
): Promise<Connection | undefined> => {
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: connectionKey(connectionId),
      ConsistentRead: true,
    }),
  );
  return Item ? toConnection(Item) : undefined;
};

/**
 * Deletes the connection and its membership. Unknown connections are fine: `$disconnect`
 * and 410-pruning may both try. Returns the connection that was removed, if any.
 */
export const removeConnection = async (
  deps: TableRef,
  connectionId: string,
  knownRoom?: string,
): Promise<Connection | undefined> => {
  const { client, tableName } = deps;
  const { Attributes } = await client.send(
    new DeleteCommand({
      TableName: tableName,
      Key: connectionKey(connectionId),
      ReturnValues: 'ALL_OLD',
    }),
  );
  const room = (Attributes?.room as string | undefined) ?? knownRoom;
  if (room !== undefined) {
    await client.send(
      new DeleteCommand({ TableName: tableName, Key: memberKey(room, connectionId) }),
    );
  }
  return Attributes ? toConnection(Attributes) : undefined;
};

/** The connection as stored, without its keys, TTL or rate-limit state. */
export const toConnection = (item: Record<string, unknown>): Connection => ({
  connectionId: item.connectionId as string,
  room: item.room as string,
  name: item.name as string,
  connectedAt: item.connectedAt as number,
  ...(typeof item.subject === 'string' ? { subject: item.subject } : {}),
});

/** Which members to read: the whole room, or only some of its shards. */
export interface MemberQuery {
  /** Read only these shards (each its own Query, in this order); the whole room when absent. */
  shards?: readonly number[];
  pageSize?: number;
}

/**
 * A room's live members, one Query page at a time (never a Scan). A member past its `expiresAt`
 * (its `$disconnect` was lost and DynamoDB's TTL has not deleted it yet) is left out.
 */
export async function* listMembers(
  deps: ClockedTableRef,
  room: string,
  { shards, pageSize }: MemberQuery = {},
): AsyncGenerator<Member[]> {
  const prefixes = shards ? shards.map(memberShardPrefix) : [MEMBER_PREFIX];
  for (const prefix of prefixes) {
    const pages = paginateQuery(
      { client: deps.client, ...(pageSize ? { pageSize } : {}) },
      memberQuery(deps.tableName, room, prefix),
    );
    for await (const page of pages) {
      const members = liveMembers(page.Items ?? [], deps.now());
      if (members.length > 0) yield members;
    }
  }
}

/**
 * The live members among the first `limit` member items of a room, in key order (shard 0
 * first), and whether that is all of them: one Query, enough to post to a small room or to
 * estimate a big one's size.
 */
export const sampleMembers = async (
  { client, tableName, now }: ClockedTableRef,
  room: string,
  limit: number,
): Promise<{ members: Member[]; complete: boolean }> => {
  const { Items = [], LastEvaluatedKey } = await client.send(
    new QueryCommand({ ...memberQuery(tableName, room, MEMBER_PREFIX), Limit: limit }),
  );
  return { members: liveMembers(Items, now()), complete: LastEvaluatedKey === undefined };
};

const memberQuery = (tableName: string, room: string, prefix: string) => ({
  TableName: tableName,
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
  ExpressionAttributeValues: { ':pk': roomPk(room), ':member': prefix },
  ProjectionExpression: 'sk, connectionId, #name, connectedAt, expiresAt',
  ExpressionAttributeNames: { '#name': 'name' },
  // A member who joined while a message was being appended must be in its broadcast.
  ConsistentRead: true,
});

/** Members whose TTL (epoch seconds) has not passed; an item without one never expires. */
const liveMembers = (items: Record<string, unknown>[], now: number) =>
  items
    .filter((item) => typeof item.expiresAt !== 'number' || item.expiresAt * 1000 > now)
    .map(toMember);

const toMember = (item: Record<string, unknown>): Member => ({
  connectionId: item.connectionId as string,
  name: item.name as string,
  shard: shardOfMemberSk(item.sk as string),
  ...(typeof item.connectedAt === 'number' ? { connectedAt: item.connectedAt } : {}),
});
