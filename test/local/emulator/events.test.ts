import { describe, expect, it, vi } from 'vitest';
import {
  connectEvent,
  connectionFacts,
  disconnectEvent,
  messageEvent,
} from '../../../local/emulator/events.js';
import { openClient } from '../fixtures/clients.js';
import { connectionUrl, startEmulator } from '../fixtures/emulator.js';
import { recorder } from '../fixtures/recorder.js';
import { signedFetch } from '../fixtures/signed-fetch.js';

const AWS_ID = /^[A-Za-z0-9_-]{15}=$/;

/** Connects, sends one frame, closes with `code`, and returns the three recorded events. */
const oneOfEach = async (query: string, code?: number, reason?: string) => {
  const rec = recorder();
  const emulator = await startEmulator(rec.handler, { stage: 'dev' });
  const client = await openClient(`${emulator.wsUrl}/dev${query}`, [], {
    headers: { 'User-Agent': 'events-test/1.0' },
  });
  client.send('{"action":"sendmessage","message":"hi"}');
  await vi.waitFor(() => expect(rec.events('sendmessage')).toHaveLength(1));
  client.close(code, reason);
  await vi.waitFor(() => expect(rec.events('$disconnect')).toHaveLength(1));
  const [connect] = rec.events('$connect');
  const [message] = rec.events('sendmessage');
  const [disconnect] = rec.events('$disconnect');
  return { connect, message, disconnect, emulator };
};

describe('event shapes', () => {
  it('gives $connect the headers and the decoded query, and no body', async () => {
    const { connect, emulator } = await oneOfEach('?room=general&name=al%20ice&tag=a&tag=b');
    expect(connect.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      messageDirection: 'IN',
      stage: 'dev',
      domainName: new URL(emulator.httpUrl).host,
      identity: { sourceIp: '127.0.0.1', userAgent: 'events-test/1.0' },
    });
    expect(connect.requestContext.connectionId).toMatch(AWS_ID);
    expect(connect.requestContext.apiId).toMatch(/^[a-z0-9]{10}$/);
    expect(connect.requestContext.requestTime).toMatch(
      /^\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000$/,
    );
    expect(connect.headers).toMatchObject({
      Host: new URL(emulator.httpUrl).host,
      'User-Agent': 'events-test/1.0',
      'X-Forwarded-For': '127.0.0.1',
    });
    expect(connect.multiValueHeaders.Host).toEqual([new URL(emulator.httpUrl).host]);
    expect(connect.queryStringParameters).toEqual({ room: 'general', name: 'al ice', tag: 'b' });
    expect(connect.multiValueQueryStringParameters.tag).toEqual(['a', 'b']);
    expect(connect).not.toHaveProperty('body');
    expect(connect.requestContext).not.toHaveProperty('messageId');
    expect(connect.requestContext).not.toHaveProperty('disconnectStatusCode');
  });

  it('decodes a plus in the query as a space, and only %2B as a plus, as API Gateway does', async () => {
    const { connect } = await oneOfEach('?name=Maximilian+Alexander&tag=1%2B1&room=a+b%20c');
    expect(connect.queryStringParameters).toEqual({
      name: 'Maximilian Alexander',
      tag: '1+1',
      room: 'a b c',
    });
  });

  it('leaves the query fields out of $connect when there is no query', async () => {
    const { connect } = await oneOfEach('');
    expect(connect).not.toHaveProperty('queryStringParameters');
    expect(connect).not.toHaveProperty('multiValueQueryStringParameters');
    expect(connect).toHaveProperty('headers');
  });

  it('gives a message its body as a string and a messageId, and no headers or query', async () => {
    const { message } = await oneOfEach('?room=general');
    expect(message.body).toBe('{"action":"sendmessage","message":"hi"}');
    expect(message.isBase64Encoded).toBe(false);
    expect(message.requestContext).toMatchObject({ routeKey: 'sendmessage', eventType: 'MESSAGE' });
    expect(message.requestContext.messageId).toMatch(AWS_ID);
    for (const field of ['headers', 'multiValueHeaders', 'queryStringParameters']) {
      expect(message).not.toHaveProperty(field);
    }
    expect(message.requestContext).not.toHaveProperty('disconnectStatusCode');
  });

  it('gives $disconnect the close code and reason, and no body, headers or query', async () => {
    const { disconnect } = await oneOfEach('?room=general', 4000, 'bye');
    expect(disconnect.requestContext).toMatchObject({
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      disconnectStatusCode: 4000,
      disconnectReason: 'bye',
    });
    for (const field of ['body', 'headers', 'queryStringParameters']) {
      expect(disconnect).not.toHaveProperty(field);
    }
    expect(disconnect.requestContext).not.toHaveProperty('messageId');
  });

  it('reports a close frame without a status as 1005', async () => {
    const { disconnect } = await oneOfEach('');
    expect(disconnect.requestContext.disconnectStatusCode).toBe(1005);
    expect(disconnect.requestContext.disconnectReason).toBe(
      'Client-side close frame status not set',
    );
  });

  it('keeps connectionId and connectedAt the same on every event of a connection', async () => {
    const { connect, message, disconnect } = await oneOfEach('');
    const contexts = [connect, message, disconnect].map((event) => event.requestContext);
    expect(new Set(contexts.map((context) => context.connectedAt)).size).toBe(1);
    expect(new Set(contexts.map((context) => context.connectionId)).size).toBe(1);
    expect(new Set(contexts.map((context) => context.requestId)).size).toBe(3);
    for (const context of contexts) {
      expect(context.requestTimeEpoch).toBeGreaterThanOrEqual(context.connectedAt);
    }
  });
});

describe('the event factory', () => {
  it('routes a message by its own action only, as API Gateway selects routes', () => {
    const facts = connectionFacts('f-1');
    const routeOf = (body: string) => messageEvent(facts, body).requestContext.routeKey;
    expect(routeOf('{"action":"history"}')).toBe('history');
    expect(routeOf('{"action":"__proto__"}')).toBe('$default');
    expect(routeOf('{"action":"$connect"}')).toBe('$default');
    expect(routeOf('not json')).toBe('$default');
  });

  it('gives $connect the headers it is handed plus those API Gateway adds', () => {
    const event = connectEvent(connectionFacts('f-2'), {
      headers: [
        ['Host', 'example.test'],
        ['X-Tag', 'a'],
        ['X-Tag', 'b'],
      ],
      query: [],
      port: 443,
      scheme: 'https',
    });
    expect(event.headers).toMatchObject({ Host: 'example.test', 'X-Tag': 'b' });
    expect(event.headers).toMatchObject({
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
    });
    expect(event.multiValueHeaders['X-Tag']).toEqual(['a', 'b']);
    expect(event).not.toHaveProperty('queryStringParameters');
  });

  it('keeps headers and body off $disconnect', () => {
    const event = disconnectEvent(connectionFacts('f-3'), 1001, 'Going away');
    expect(event).not.toHaveProperty('headers');
    expect(event).not.toHaveProperty('body');
    expect(event.requestContext).toMatchObject({
      disconnectStatusCode: 1001,
      eventType: 'DISCONNECT',
    });
  });
});

describe('invocations', () => {
  it('hands each invocation its own serialized copy of the event', async () => {
    const arrived: { sourceIp: string; connectedAt: number }[] = [];
    const rec = recorder((event) => {
      const { identity, connectedAt } = event.requestContext;
      arrived.push({ sourceIp: identity.sourceIp, connectedAt });
      // A handler that scribbles on its event must not change what the next one gets.
      event.requestContext.identity.sourceIp = 'scribbled';
      event.requestContext.connectedAt = 0;
      return { statusCode: 200 };
    });
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    client.send('one');
    client.send('two');
    await vi.waitFor(() => expect(rec.events('$default')).toHaveLength(2));
    const [first, second] = rec.events('$default');
    expect(first).not.toBe(second);
    // Exactly what survives JSON: no undefined members, no class instances.
    expect(second).toStrictEqual(JSON.parse(JSON.stringify(second)));
    const id = first.requestContext.connectionId;
    const info = (await (await signedFetch(connectionUrl(emulator.httpUrl, id))).json()) as {
      identity: { sourceIp: string };
      connectedAt: string;
    };
    expect(info.identity.sourceIp).toBe('127.0.0.1');
    client.close();
    await vi.waitFor(() => expect(rec.events('$disconnect')).toHaveLength(1));
    expect(arrived).toHaveLength(4);
    for (const seen of arrived) {
      expect(seen).toEqual({ sourceIp: '127.0.0.1', connectedAt: Date.parse(info.connectedAt) });
    }
  });

  it('gives each invocation a Lambda context of its own', async () => {
    const remaining: number[][] = [];
    const rec = recorder(async (_event, context) => {
      const before = context.getRemainingTimeInMillis();
      await new Promise((resolve) => setImmediate(resolve));
      remaining.push([before, context.getRemainingTimeInMillis()]);
      return { statusCode: 200 };
    });
    const emulator = await startEmulator(rec.handler, {
      functionName: 'ctx-test',
      timeoutMs: 5_000,
    });
    const client = await openClient(emulator.wsUrl);
    client.send('x');
    await vi.waitFor(() => expect(rec.calls).toHaveLength(2));
    const [first, second] = rec.calls.map((call) => call.context);
    expect(first).toMatchObject({
      functionName: 'ctx-test',
      functionVersion: '$LATEST',
      memoryLimitInMB: '1024',
      logGroupName: '/aws/lambda/ctx-test',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(first?.invokedFunctionArn).toMatch(
      /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:ctx-test$/,
    );
    expect(first?.awsRequestId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(first?.awsRequestId).not.toBe(second?.awsRequestId);
    for (const [before, after] of remaining) {
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThanOrEqual(5_000);
      expect(after).toBeLessThanOrEqual(before as number);
    }
  });

  it('sets the environment before it imports a handler given as path#export', async () => {
    const emulator = await startEmulator('test/local/fixtures/env-at-load.ts#report', {
      functionName: 'env-test',
      env: { TABLE_NAME: 'from-options' },
    });
    const answer = await signedFetch(
      `${emulator.httpUrl}/2015-03-31/functions/env-test/invocations`,
      {
        method: 'POST',
        body: '{}',
      },
    );
    expect(await answer.json()).toEqual({
      CALLBACK_URL: emulator.httpUrl,
      AWS_ENDPOINT_URL_LAMBDA: emulator.httpUrl,
      AWS_LAMBDA_FUNCTION_NAME: 'env-test',
      AWS_REGION: process.env.AWS_REGION,
      TABLE_NAME: 'from-options',
    });
  });

  it('refuses to start with a module that lacks the export', async () => {
    await expect(startEmulator('test/local/fixtures/env-at-load.ts#missing')).rejects.toThrow(
      /no function export "missing"/,
    );
  });
});
