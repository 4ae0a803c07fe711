/**
 * The seeds' naive chat, the burst and fan-out benchmarks' baseline, written afresh after the AWS sample
 * "simple-websockets-chat-app" with rooms added: `$connect` puts the connection, `$disconnect`
 * deletes it, `sendmessage` scans the table for the room's connections and posts to all of them
 * at once. No rate limit, no sequence, no idempotency, no replay; the sender's `id` goes to
 * everyone (the crowd counts deliveries by their text, as on the chat, which sends the id to the
 * author only). It lives in a table made from
 * the chat's definition (keys `pk`, `sk`): the connection id is `pk`, `sk` a constant.
 * Standalone: `npm start -- --handler bench/e2e/seeds/handler.ts#handler`.
 */
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
} from '@aws-sdk/lib-dynamodb';

/** The parts of API Gateway's WebSocket event this handler reads. */
interface SeedsEvent {
  requestContext: { routeKey: string; connectionId: string };
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string;
}

/** The clients and table the handler works with. */
export interface SeedsDeps {
  db: DynamoDBDocumentClient;
  api: ApiGatewayManagementApiClient;
  tableName: string;
}

const key = (connectionId: string) => ({ pk: connectionId, sk: 'connection' });

/** The handler over given clients, so a bench can meter them. */
export const createSeedsHandler = ({ db, api, tableName }: SeedsDeps) => {
  const connect = async (connectionId: string, query: SeedsEvent['queryStringParameters']) => {
    const room = query?.room ?? 'general';
    const name = query?.name ?? 'anon';
    await db.send(
      new PutCommand({ TableName: tableName, Item: { ...key(connectionId), room, name } }),
    );
  };

  const disconnect = async (connectionId: string) => {
    await db.send(new DeleteCommand({ TableName: tableName, Key: key(connectionId) }));
  };

  const sendMessage = async (connectionId: string, body: string) => {
    const { message, data, id } = JSON.parse(body) as {
      message?: string;
      data?: string;
      id?: string;
    };
    const { Item: sender } = await db.send(
      new GetCommand({ TableName: tableName, Key: key(connectionId) }),
    );
    if (!sender) return;
    const frame = JSON.stringify({
      type: 'message',
      room: sender.room,
      seq: Date.now(),
      id,
      sender: sender.name,
      text: message ?? data,
      sentAt: new Date().toISOString(),
    });
    const members: string[] = [];
    const pages = paginateScan(
      { client: db },
      {
        TableName: tableName,
        FilterExpression: '#room = :room',
        ExpressionAttributeNames: { '#room': 'room' },
        ExpressionAttributeValues: { ':room': sender.room },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) members.push(item.pk);
    await Promise.all(
      members.map(async (member) => {
        try {
          await api.send(new PostToConnectionCommand({ ConnectionId: member, Data: frame }));
        } catch (error) {
          if (!(error instanceof GoneException)) throw error;
          await disconnect(member);
        }
      }),
    );
  };

  return async (event: SeedsEvent) => {
    const { routeKey, connectionId } = event.requestContext;
    if (routeKey === '$connect') await connect(connectionId, event.queryStringParameters);
    if (routeKey === '$disconnect') await disconnect(connectionId);
    if (routeKey === 'sendmessage') await sendMessage(connectionId, event.body ?? '{}');
    return { statusCode: 200 };
  };
};

const fromEnv = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
};

/** The SDK clients as the AWS sample makes them, from the environment the emulator (or Lambda) sets. */
export const createSeedsDeps = (): SeedsDeps => ({
  db: DynamoDBDocumentClient.from(new DynamoDBClient({})),
  api: new ApiGatewayManagementApiClient({ endpoint: fromEnv('CALLBACK_URL') }),
  tableName: fromEnv('TABLE_NAME'),
});

let seeds: ReturnType<typeof createSeedsHandler> | undefined;

/** The Lambda entry point: clients from the environment (`CALLBACK_URL`, `TABLE_NAME`, SDK endpoints). */
export const handler = (event: SeedsEvent) => {
  seeds ??= createSeedsHandler(createSeedsDeps());
  return seeds(event);
};
