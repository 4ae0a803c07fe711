import { describe, expect, it } from 'vitest';
import { connectEvent } from '../support/events.js';
import { useFakeSsm } from '../support/fake-ssm.js';
import { useHandler } from '../support/handler-harness.js';
import { epochSeconds, offeringToken, signJwt } from '../support/tokens.js';

const PARAMETER = '/chat/test/missing-jwt-secret';
process.env.CONNECT_JWT_SECRET_PARAMETER = PARAMETER;
process.env.AWS_LAMBDA_LOG_LEVEL = 'info';

const ssm = useFakeSsm();
const { table, invoke, logs } = useHandler();

describe('$connect when the secret parameter cannot be read', () => {
  it('refuses every connection with 503 and a generic body, never open, and stores nothing', async () => {
    const token = signJwt({ name: 'sam', sub: 'u-sam', exp: epochSeconds(600) }, 'anything');
    for (const [id, query, options] of [
      ['lost-1', { room: 'ssm' }, {}],
      ['lost-2', { room: 'ssm' }, offeringToken(token)],
      ['lost-3', { room: 'ssm', name: 'alice' }, {}],
    ] as const) {
      expect(await invoke(connectEvent(id, query, options))).toEqual({
        statusCode: 503,
        body: 'authentication is unavailable; try again later',
      });
      expect(await table.store.getConnection(id)).toBeUndefined();
    }
  });

  it('logs why, naming the parameter and the error, never a token', async () => {
    logs.length = 0;
    await invoke(connectEvent('lost-4', { room: 'ssm' }, offeringToken('sensitive-token-text')));
    const refusal = logs.find((line) => line.event === 'connect_refused');
    expect(refusal).toMatchObject({
      level: 'error',
      statusCode: 503,
      detail: `cannot read SSM parameter ${PARAMETER}: ParameterNotFound`,
    });
    expect(JSON.stringify(logs)).not.toContain('sensitive-token-text');
  });

  it('asks SSM once for a burst of connects, not once per attempt', () => {
    expect(ssm.readsOf(PARAMETER)).toBe(1);
  });
});
