import { describe, expect, it } from 'vitest';
import { connectEvent, sendFrame } from '../support/events.js';
import { useFakeSsm } from '../support/fake-ssm.js';
import { useHandler } from '../support/handler-harness.js';
import { epochSeconds, offeringToken, signJwt } from '../support/tokens.js';

const PARAMETER = '/chat/test/jwt-secret';
process.env.CONNECT_JWT_SECRET_PARAMETER = PARAMETER;

const ssm = useFakeSsm();
const { table, aws, invoke } = useHandler();

describe('$connect with the JWT secret in an SSM parameter', () => {
  it('reads the parameter on the first connect and checks tokens against it', async () => {
    ssm.parameters.set(PARAMETER, { value: 'from-ssm' });
    const good = signJwt({ name: 'sam', sub: 'u-sam', exp: epochSeconds(600) }, 'from-ssm');
    const forged = signJwt({ name: 'sam', sub: 'u-sam', exp: epochSeconds(600) }, 'guess');
    expect(await invoke(connectEvent('ssm-1', { room: 'ssm' }, offeringToken(good)))).toMatchObject(
      {
        statusCode: 200,
      },
    );
    expect(
      await invoke(connectEvent('ssm-2', { room: 'ssm' }, offeringToken(forged))),
    ).toMatchObject({
      statusCode: 401,
    });
    expect(await invoke(connectEvent('ssm-3', { room: 'ssm' }))).toMatchObject({
      statusCode: 401,
    });
    expect(await table.store.getConnection('ssm-1')).toMatchObject({ name: 'sam' });
    expect(await table.store.getConnection('ssm-2')).toBeUndefined();
  });

  it('keeps the value for the container: one GetParameter however many connects and messages', async () => {
    ssm.parameters.set(PARAMETER, { error: 'AccessDeniedException' });
    const good = signJwt({ name: 'kim', sub: 'u-kim', exp: epochSeconds(600) }, 'from-ssm');
    for (const id of ['ssm-4', 'ssm-5', 'ssm-6']) {
      expect(await invoke(connectEvent(id, { room: 'ssm' }, offeringToken(good)))).toMatchObject({
        statusCode: 200,
      });
    }
    await invoke(sendFrame('ssm-4', { message: 'hello', id: 'h1' }));
    expect(aws.delivered('ssm-5').map((frame) => frame.text)).toEqual(['hello']);
    expect(ssm.readsOf(PARAMETER)).toBe(1);
  });
});
