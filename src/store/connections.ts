import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { connectionKey, MEMBER_PREFIX, memberKey, roomPk } from './keys.js';
import type { Connection, Member } from './types.js';

/** API Gateway's maximum connection duration plus a margin: TTL removes what `$disconnect` missed. */
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60 + 15 * 60;

interface Deps {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** Writes the connection item and its room membership together. */
export const saveConnection = async ({ client, tableName }: Deps, connection: Connection) => {
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
  { client, tableName }: Deps,
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
  deps: Deps,
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

/** A room's members, one Query page at a time (never a Scan). */
export async function* listMembers(
  { client, tableName }: Deps,
  room: string,
  pageSize?: number,
): AsyncGenerator<Member[]> {
  const pages = paginateQuery(
    { client, ...(pageSize ? { pageSize } : {}) },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': roomPk(room), ':member': MEMBER_PREFIX },
      ProjectionExpression: 'connectionId, #name, connectedAt',
      ExpressionAttributeNames: { '#name': 'name' },
      // A member who joined while a message was being appended must be in its broadcast.
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    const members = (page.Items ?? []).map((item) => ({
      connectionId: item.connectionId as string,
      name: item.name as string,
      ...(typeof item.connectedAt === 'number' ? { connectedAt: item.connectedAt } : {}),
    }));
    if (members.length > 0) yield members;
  }
}
