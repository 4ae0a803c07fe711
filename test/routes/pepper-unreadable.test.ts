import { describe, expect, it } from 'vitest';
import { connectEvent } from '../support/events.js';
import { useFakeSsm } from '../support/fake-ssm.js';
import { useHandler } from '../support/handler-harness.js';
import { newKey, offeringKey } from '../support/keys.js';

const PARAMETER = '/chat/test/missing-pepper';
process.env.PEPPER_PARAMETER = PARAMETER;
process.env.AWS_LAMBDA_LOG_LEVEL = 'info';

useFakeSsm();
const { table, invoke, logs } = useHandler();

describe('$connect when the pepper parameter cannot be read', () => {
  it('refuses with 503 rather than make an identity without the pepper, storing nothing', async () => {
    for (const [id, options] of [
      ['no-pepper-1', offeringKey(newKey())],
      ['no-pepper-2', {}],
    ] as const) {
      expect(await invoke(connectEvent(id, { room: 'peppered' }, options))).toEqual({
        statusCode: 503,
        body: 'the chat is unavailable; try again later',
      });
      expect(await table.store.getConnection(id)).toBeUndefined();
    }
    expect(logs.find((line) => line.event === 'connect_refused')).toMatchObject({
      level: 'error',
      statusCode: 503,
      detail: `cannot read SSM parameter ${PARAMETER}: ParameterNotFound`,
    });
  });
});
