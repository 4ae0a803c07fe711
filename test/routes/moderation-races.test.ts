import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import { authorOf, userIdOf } from '../../src/auth/identity.js';
import { moderatorAuthors } from '../../src/auth/moderators.js';
import { createConnectionsApi } from '../../src/outbound/connections-api.js';
import { createHandler } from '../../src/router/create-handler.js';
import { createDocumentClient, createStore } from '../../src/store/index.js';
import { recordCommands } from '../support/command-recorder.js';
import { testDeps } from '../support/deps.js';
import { connectEvent, lambdaContext, messageEvent } from '../support/events.js';
import { useFakeAws } from '../support/fake-aws.js';
import { newKey, offeringKey } from '../support/keys.js';
import { useTable } from '../support/table.js';

/**
 * A ban racing a connection to its room: whichever order their writes land in, the connection
 * ends up refused or closed, never open and unbanned.
 */

const table = useTable();
const aws = useFakeAws();
const moderatorKey = newKey();

/** The real handler on its own SDK client, so a test can act in the middle of its requests. */
const handlerWithClient = (now: () => number = Date.now) => {
  const client = createDocumentClient({ ...localAwsConfig, endpoint: table.endpoint });
  const store = createStore({ client, tableName: table.tableName, now });
  const moderators = moderatorAuthors([moderatorKey.toString('base64url')], store.keyedHash);
  const api = createConnectionsApi(aws.url, 10, {
    region: localAwsConfig.region,
    credentials: async () => localAwsConfig.credentials,
  });
  const deps = testDeps({ store, api, auth: { moderators }, now });
  const handler = createHandler(() => deps) as unknown as (
    event: unknown,
    context: ReturnType<typeof lambdaContext>,
  ) => Promise<{ statusCode: number; body?: string } | undefined>;
  return { client, handler: (event: unknown) => handler(event, lambdaContext()) };
};

/** Runs `work` once, just before the first transaction `picks` goes out on `client`. */
const beforeTransaction = (
  client: DynamoDBDocumentClient,
  picks: (items: Record<string, Record<string, Record<string, unknown>>>[]) => boolean,
  work: () => Promise<unknown>,
) => {
  let ran = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const items = (args.input as { TransactItems?: [] }).TransactItems ?? [];
      if (context.commandName === 'TransactWriteItemsCommand' && !ran && picks(items)) {
        ran = true;
        await work();
      }
      return next(args);
    },
    { step: 'initialize', name: `before-transaction-${Math.random()}` },
  );
  return { ran: () => ran };
};

const userIdOfKey = async (key: Uint8Array) =>
  userIdOf(await authorOf({ key }, table.store.keyedHash), table.store.keyedHash);

const membersOf = async (room: string) => {
  const members = [];
  for await (const page of table.store.listMembers(room)) members.push(...page);
  return members;
};

describe('a ban racing a connection', () => {
  it('refuses a connection that a ban reached between its first check and its registration, leaving nothing registered', async () => {
    const { client, handler } = handlerWithClient();
    const key = newKey();
    const userId = await userIdOfKey(key);
    const ban = beforeTransaction(
      client,
      (items) => items.some((item) => item.Put?.Item?.pk === 'CONN#race-troll'),
      () =>
        table.store.appendModeration({
          room: 'race',
          by: { userId: 'MODERATOR-000001', name: 'mod' },
          action: 'ban',
          userId,
          reason: 'raced',
        }),
    );
    aws.reset();
    const answer = await handler(
      connectEvent('race-troll', { room: 'race', name: 'troll' }, offeringKey(key)),
    );
    expect(ban.ran()).toBe(true);
    expect(answer).toMatchObject({
      statusCode: 403,
      body: 'you are banned from room "race" until a moderator lifts the ban: raced',
    });
    expect(await table.store.getConnection('race-troll')).toBeUndefined();
    expect(await membersOf('race')).toEqual([]);
    expect(aws.invocations).toEqual([]);
  });

  it('closes a connection that registered while the ban was being stored', async () => {
    const { client, handler } = handlerWithClient();
    await handler(connectEvent('late-mod', { room: 'late' }, offeringKey(moderatorKey)));
    const key = newKey();
    const userId = await userIdOfKey(key);
    await handler(connectEvent('late-troll-1', { room: 'late', name: 'troll' }, offeringKey(key)));
    // The second tab registers after the ban read the room's members, before it is stored.
    const tab = beforeTransaction(
      client,
      (items) => items.some((item) => item.Put?.Item?.kind === 'moderation'),
      () =>
        table.store.saveConnection({
          connectionId: 'late-troll-2',
          room: 'late',
          name: 'troll',
          connectedAt: Date.now(),
          author: 'key:troll',
          userId,
          capabilities: ['read', 'send'],
        }),
    );
    aws.reset();
    await handler(messageEvent('late-mod', JSON.stringify({ action: 'ban', userId })));
    expect(tab.ran()).toBe(true);
    expect(aws.deletes.map((d) => d.connectionId).sort()).toEqual(['late-troll-1', 'late-troll-2']);
    expect(aws.delivered('late-troll-2')).toEqual([
      expect.objectContaining({ type: 'error', code: 'banned' }),
    ]);
  });
});

describe('what the moderation check costs', () => {
  it('reads the room’s state once a second per container, not once per frame', async () => {
    let clock = Date.now();
    const { client, handler } = handlerWithClient(() => clock);
    const alice = offeringKey(newKey());
    await handler(connectEvent('cost-alice', { room: 'cost', name: 'alice' }, alice));
    const sent = recordCommands(client);
    const say = (text: string) =>
      handler(messageEvent('cost-alice', JSON.stringify({ action: 'sendmessage', message: text })));
    const stateReads = () =>
      sent.commands.filter(
        (c) => c.operation === 'GetItem' && (c.input.Key as { sk?: string }).sk === 'MODERATION',
      ).length;
    // `$connect` read it afresh; for a second, frames use that copy.
    for (let n = 0; n < 10; n++) await say(`m${n}`);
    expect(stateReads()).toBe(0);
    clock += 999;
    await say('still the copy');
    expect(stateReads()).toBe(0);
    clock += 1;
    await say('a second on');
    await say('the new copy');
    expect(stateReads()).toBe(1);
    expect(await table.store.lastSeq('cost')).toBe(13);
  });
});
