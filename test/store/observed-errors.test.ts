import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import { createDocumentClient, type StoreEvent } from '../../src/store/index.js';
import { injectFault, serviceError } from '../support/faults.js';
import { useTable } from '../support/table.js';

const table = useTable();

/** A client on the test table (its own, as a container's), and what it has observed. */
const observedClient = () => {
  const events: StoreEvent[] = [];
  const client = createDocumentClient(
    { ...localAwsConfig, endpoint: table.endpoint, maxAttempts: 3 },
    (event) => events.push(event),
  );
  return { client, events };
};

const item = (pk: string) => ({ TableName: table.tableName, Item: { pk, sk: 'ONE' } });
const onlyNew = { ConditionExpression: 'attribute_not_exists(pk)' };

describe('what the store observes of DynamoDB', () => {
  it('counts a conditional write that lost its condition, in DynamoDB Local', async () => {
    const { client, events } = observedClient();
    await client.send(new PutCommand({ ...item('observed-cond'), ...onlyNew }));
    await expect(
      client.send(new PutCommand({ ...item('observed-cond'), ...onlyNew })),
    ).rejects.toThrow();
    expect(events).toEqual(['conditional_loss']);
  });

  it('counts each lost condition of a cancelled transaction, and not the ones that held', async () => {
    const { client, events } = observedClient();
    await client.send(new PutCommand(item('observed-tx-a')));
    const put = (pk: string) => ({ Put: { ...item(pk), ...onlyNew } });
    await expect(
      client.send(
        new TransactWriteCommand({ TransactItems: [put('observed-tx-a'), put('observed-tx-b')] }),
      ),
    ).rejects.toThrow();
    expect(events).toEqual(['conditional_loss']);
  });

  it('counts every throttled attempt, the ones the SDK retried away included', async () => {
    const { client, events } = observedClient();
    injectFault(client, 'PutItemCommand', 2, () =>
      serviceError('ProvisionedThroughputExceededException', 400),
    );
    await client.send(new PutCommand(item('observed-throttle')));
    expect(events).toEqual(['throttle', 'throttle']);
  });

  it('counts nothing for a request that succeeds or fails otherwise', async () => {
    const { client, events } = observedClient();
    await client.send(new PutCommand(item('observed-fine')));
    await expect(
      client.send(new PutCommand({ TableName: table.tableName, Item: { nokey: 1 } })),
    ).rejects.toThrow();
    expect(events).toEqual([]);
  });
});
