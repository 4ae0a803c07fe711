import { createHmac } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { idempotencyKey, pepperKey } from '../../src/store/dynamo/keys.js';
import { connectEvent, sendFrame } from '../support/events.js';
import { useFakeSsm } from '../support/fake-ssm.js';
import { useHandler } from '../support/handler-harness.js';
import { newKey, offeringKey } from '../support/keys.js';

const PARAMETER = '/chat/test/pepper';
process.env.PEPPER_PARAMETER = PARAMETER;

const ssm = useFakeSsm();
const { table, aws, invoke } = useHandler();

const itemAt = async (Key: { pk: string; sk: string }) =>
  (await table.client.send(new GetCommand({ TableName: table.tableName, Key }))).Item;

describe('the pepper in an SSM parameter', () => {
  it('keys the id records’ fingerprints, read once per container, and the table makes none of its own', async () => {
    ssm.parameters.set(PARAMETER, { value: 'pepper-from-ssm' });
    const key = newKey();
    await invoke(connectEvent('pep-alice', { room: 'pep', name: 'alice' }, offeringKey(key)));
    for (const n of [1, 2, 3]) {
      await invoke(sendFrame('pep-alice', { message: `m${n}`, id: `p-${n}` }));
    }
    expect(aws.delivered('pep-alice').filter((frame) => frame.type === 'message')).toHaveLength(3);
    // The key's author is its keyed hash under the same pepper.
    const author = `key:${createHmac('sha256', 'pepper-from-ssm').update(key).digest('base64url')}`;
    const record = await itemAt(idempotencyKey('pep', author, 'p-2'));
    expect(record?.fingerprint).toBe(
      createHmac('sha256', 'pepper-from-ssm')
        .update(JSON.stringify(['pep', author, 'p-2', 'm2']))
        .digest('base64url'),
    );
    expect(ssm.readsOf(PARAMETER)).toBe(1);
    expect(ssm.requests.find((request) => request.Name === PARAMETER)?.WithDecryption).toBe(true);
    expect(await itemAt(pepperKey)).toBeUndefined();
  });
});
