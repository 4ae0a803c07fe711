import { describe, expect, it } from 'vitest';
import { createConnectionsApi } from '../../src/outbound/connections-api.js';
import { createHandler } from '../../src/router/create-handler.js';
import { testDeps } from '../support/deps.js';
import {
  connectEvent,
  disconnectEvent,
  lambdaContext,
  messageEvent,
  sendFrame,
} from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

const { aws, invoke, table } = useHandler();

const withRouteKey = (routeKey: string, body = '{}') => {
  const event = messageEvent('rt-1', body);
  event.requestContext.routeKey = routeKey;
  return event;
};

describe('router', () => {
  it('dispatches every route key to its route', async () => {
    expect(await invoke(connectEvent('rt-1', { room: 'routing', name: 'alice' }))).toEqual({
      statusCode: 200,
    });
    expect(aws.invocations).toHaveLength(1);
    await invoke(sendFrame('rt-1', { message: 'hi' }));
    expect(aws.delivered('rt-1').map((f) => f.type)).toEqual(['message']);
    await invoke(messageEvent('rt-1', '{"action":"history"}'));
    expect(aws.delivered('rt-1').map((f) => f.type)).toEqual(['message', 'history']);
    await invoke(messageEvent('rt-1', '{"action":"dance"}'));
    expect(aws.delivered('rt-1').at(-1)).toMatchObject({ type: 'error', code: 'unknown_action' });
    expect(await invoke(disconnectEvent('rt-1'))).toEqual({ statusCode: 200 });
    expect(await table.store.getConnection('rt-1')).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'toString', 'nope'])(
    'sends the route key %s down the not-found path',
    async (routeKey) => {
      await invoke(connectEvent('rt-1', { room: 'routing', name: 'alice' }));
      aws.reset();
      await invoke(withRouteKey(routeKey));
      expect(aws.delivered('rt-1')).toEqual([expect.objectContaining({ code: 'unknown_action' })]);
      const connectLike = connectEvent('rt-2');
      connectLike.requestContext.routeKey = routeKey;
      expect(await invoke(connectLike)).toEqual({ statusCode: 404 });
    },
  );

  it('turns an unexpected error into an internal error frame without a stack, and logs it once', async () => {
    const lines: string[] = [];
    const deps = testDeps({
      store: {
        ...table.store,
        admit: async () => {
          throw new Error('disk on fire at /secret/path.ts:12');
        },
      },
      api: createConnectionsApi(aws.url, 10),
      logTo: (line) => lines.push(line),
    });
    const failing = createHandler(() => deps);
    process.env.AWS_LAMBDA_LOG_LEVEL = 'error';
    const context = lambdaContext();
    try {
      expect(await failing(sendFrame('rt-3', { message: 'boom' }), context)).toEqual({
        statusCode: 500,
      });
    } finally {
      process.env.AWS_LAMBDA_LOG_LEVEL = 'silent';
    }
    const [frame] = aws.delivered('rt-3');
    expect(frame).toEqual({ type: 'error', code: 'internal', message: expect.any(String) });
    expect(JSON.stringify(frame)).not.toContain('fire');
    // At the level `error`, the invocation's metrics (INFO to Lambda) are dropped too.
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'error',
      requestId: context.awsRequestId,
      connectionId: 'rt-3',
      route: 'sendmessage',
    });
  });

  it('refuses a $connect whose route fails unexpectedly with a 500, not a crash', async () => {
    const failing = createHandler(() => {
      throw new Error('no deps');
    });
    process.env.AWS_LAMBDA_LOG_LEVEL = 'silent';
    expect(await failing(connectEvent('rt-4'), lambdaContext())).toEqual({ statusCode: 500 });
  });
});
