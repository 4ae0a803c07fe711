import {
  DeleteCommand,
  GetCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Capability, DEFAULT_CAPABILITIES } from '../../protocol/capabilities.js';
import type { ClockedTableRef, TableRef } from '../dynamo/client.js';
import {
  connectionKey,
  MEMBER_PREFIX,
  memberKey,
  memberShardPrefix,
  roomPk,
  shardOfMemberSk,
} from '../dynamo/keys.js';
import type { Connection, Member, NewConnection } from '../types.js';
import {
  type Caps,
  releaseSeats,
  type Seat,
  type Seating,
  seatsOf,
  takeSeats,
} from './occupancy.js';

/** API Gateway's maximum connection duration plus a margin: TTL removes what `$disconnect` missed. */
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60 + 15 * 60;

/**
 * Registers a connection: takes its places in its network's and its room's counts (`caps`;
 * none when absent), then writes the connection item and its room membership together. A full
 * count stores nothing; a failed write gives the places back.
 */
export const saveConnection = async (
  deps: TableRef,
  connection: NewConnection,
  caps: Caps = {},
): Promise<Seating> => {
  const nowSeconds = Math.floor(connection.connectedAt / 1000);
  const expiresAt = nowSeconds + CONNECTION_TTL_SECONDS;
  const seating = await takeSeats(deps, connection, caps, { expiresAt, nowSeconds });
  if (seating.outcome === 'full') return seating;
  try {
    await putConnection(deps, connection, seating.seats, expiresAt);
  } catch (error) {
    // The error that matters is the write's; a place not given back ends with its count's TTL.
    await releaseSeats(deps, connection, seating.seats).catch(() => undefined);
    throw error;
  }
  return seating;
};

/** Writes the connection item (with the seats it holds) and its room membership together. */
const putConnection = async (
  { client, tableName }: TableRef,
  connection: NewConnection,
  seats: Seat[],
  expiresAt: number,
) => {
  const { connectionId, room, name, connectedAt, userId } = connection;
  await client.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...connectionKey(connectionId),
              ...connection,
              ...(seats.length > 0 ? { seats } : {}),
              expiresAt,
            },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...memberKey(room, connectionId),
              connectionId,
              name,
              ...(userId ? { userId } : {}),
              connectedAt,
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
 * Deletes the connection and its membership, and gives back its places in its network's and
 * room's counts. Unknown connections are fine: `$disconnect` and 410-pruning may both try.
 * Returns the connection that was removed, if any.
 */
export const removeConnection = async (
  deps: TableRef,
  connectionId: string,
  knownRoom?: string,
): Promise<Connection | undefined> => {
  const { client, tableName } = deps;
  const Attributes = await deleteConnectionItem(deps, connectionId);
  const room = (Attributes?.room as string | undefined) ?? knownRoom;
  await Promise.all([
    room === undefined
      ? undefined
      : client.send(
          new DeleteCommand({ TableName: tableName, Key: memberKey(room, connectionId) }),
        ),
    // Only the remover that got the item back gives its places back: each goes back once.
    Attributes ? releaseSeats(deps, toConnection(Attributes), seatsOf(Attributes)) : undefined,
  ]);
  return Attributes ? toConnection(Attributes) : undefined;
};

/**
 * Deletes the connection item and returns it, to one remover only. Conditional, because
 * DynamoDB Local hands the old item to each of several removers racing an unconditional
 * delete (DynamoDB itself to one); a failed condition costs the same write unit.
 */
const deleteConnectionItem = async ({ client, tableName }: TableRef, connectionId: string) => {
  try {
    const { Attributes } = await client.send(
      new DeleteCommand({
        TableName: tableName,
        Key: connectionKey(connectionId),
        ConditionExpression: 'attribute_exists(pk)',
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes;
  } catch (error) {
    if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
    return undefined;
  }
};

/**
 * The connection as stored, without its keys, TTL or rate-limit state. An item written before
 * identities (no `author`, `userId` or `capabilities`) reads as it was then: its author its token's
 * subject or its name, no public id (''), and read and send, as every connection could.
 */
export const toConnection = (item: Record<string, unknown>): Connection => ({
  connectionId: item.connectionId as string,
  room: item.room as string,
  name: item.name as string,
  connectedAt: item.connectedAt as number,
  ...(typeof item.subject === 'string' ? { subject: item.subject } : {}),
  ...(typeof item.network === 'string' ? { network: item.network } : {}),
  author: typeof item.author === 'string' ? item.author : legacyAuthor(item),
  userId: typeof item.userId === 'string' ? item.userId : '',
  capabilities: Array.isArray(item.capabilities)
    ? (item.capabilities as Capability[])
    : DEFAULT_CAPABILITIES,
});

/** Who answered for a connection's messages before authors were stored. */
const legacyAuthor = (item: Record<string, unknown>) =>
  typeof item.subject === 'string' ? `sub:${item.subject}` : `name:${item.name as string}`;

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
  ProjectionExpression: 'sk, connectionId, #name, userId, connectedAt, expiresAt',
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
  ...(typeof item.userId === 'string' ? { userId: item.userId } : {}),
  shard: shardOfMemberSk(item.sk as string),
  ...(typeof item.connectedAt === 'number' ? { connectedAt: item.connectedAt } : {}),
});
