import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import { roomItems, useTable } from '../support/table.js';

const table = useTable();
const run = promisify(execFile);

/** `npm run purge-deleted -- …` as an operator runs it, against DynamoDB Local. */
const purge = (...args: string[]) =>
  run(
    process.execPath,
    [resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/purge-deleted.ts', ...args],
    {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
        AWS_REGION: localAwsConfig.region,
        AWS_ACCESS_KEY_ID: localAwsConfig.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localAwsConfig.credentials.secretAccessKey,
      },
    },
  );

const by = { author: 'name:alice', sender: 'alice' };

describe('scripts/purge-deleted.ts', () => {
  it('removes the texts a deleted message left in the table, keeps the rest, and reads still work', async () => {
    const { store } = table;
    const room = 'purged';
    await store.appendMessage({ room, ...by, text: 'secret one' });
    await store.appendMessage({ room, ...by, text: 'kept' });
    await store.editMessage({ room, target: 1, ...by, text: 'secret edit' });
    await store.editMessage({ room, target: 2, ...by, text: 'kept, edited' });
    await store.deleteMessage({ room, target: 1, ...by });
    const before = JSON.stringify(await roomItems(table, room));
    expect(before).toContain('secret one');
    expect(before).toContain('secret edit');

    const { stdout } = await purge('--table', table.tableName, '--room', room);
    expect(stdout).toContain('removed the text of 1 deleted message(s) (1) and of 1 edit event(s)');

    const after = JSON.stringify(await roomItems(table, room));
    expect(after).not.toContain('secret');
    expect(after).toContain('kept, edited');
    const page = await store.readAfter(room, 0, 10);
    expect(page.messages.map((m) => [m.seq, m.text, m.deleted])).toEqual([
      [1, '', true],
      [2, 'kept, edited', undefined],
    ]);
    expect(page.updates?.map((u) => u.seq)).toEqual([3, 4, 5]);
  });

  it('purges only the message --seq names', async () => {
    const { store } = table;
    const room = 'one-only';
    await store.appendMessage({ room, ...by, text: 'first secret' });
    await store.appendMessage({ room, ...by, text: 'second secret' });
    await store.deleteMessage({ room, target: 1, ...by });
    await store.deleteMessage({ room, target: 2, ...by });
    await purge('--table', table.tableName, '--room', room, '--seq', '2');
    const after = JSON.stringify(await roomItems(table, room));
    expect(after).toContain('first secret');
    expect(after).not.toContain('second secret');
  });

  it('refuses to run without a table and a room', async () => {
    await expect(purge('--room', 'x')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage: npm run purge-deleted'),
    });
  });
});
