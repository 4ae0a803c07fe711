import { describe, expect, it } from 'vitest';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import { createDocumentClient, createStore, TableNotFoundError } from '../../src/store/index.js';
import { useTable } from '../support/table.js';

const table = useTable();

describe('store errors', () => {
  const missing = createStore({
    client: createDocumentClient({ ...localAwsConfig, endpoint: table.endpoint }),
    tableName: 'no-such-table',
  });

  it('reports a missing table by name on append, read and connection writes', async () => {
    const append = missing.appendMessage({ room: 'r', author: 'name:s', sender: 's', text: 't' });
    await expect(append).rejects.toBeInstanceOf(TableNotFoundError);
    await expect(append).rejects.toThrow('DynamoDB table "no-such-table" does not exist');
    await expect(missing.readAfter('r', 0, 10)).rejects.toBeInstanceOf(TableNotFoundError);
    await expect(
      missing.saveConnection({ connectionId: 'c', room: 'r', name: 'n', connectedAt: Date.now() }),
    ).rejects.toBeInstanceOf(TableNotFoundError);
  });

  it('reports a missing table while listing members', async () => {
    const listing = async () => {
      for await (const _ of missing.listMembers('r')) {
        // drain
      }
    };
    await expect(listing()).rejects.toBeInstanceOf(TableNotFoundError);
  });

  it('lets unknown errors pass through untouched', async () => {
    const broken = createStore({ client: table.client, tableName: table.tableName });
    // An empty room name is a valid key prefix, but an empty sender is fine too; a 500 KB text
    // is not: DynamoDB refuses items over 400 KB with a ValidationException we do not rename.
    const tooBig = broken.appendMessage({
      room: 'r',
      author: 'name:s',
      sender: 's',
      text: 'x'.repeat(500_000),
    });
    await expect(tooBig).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
