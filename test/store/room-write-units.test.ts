import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { headKey, roomPk } from '../../src/store/dynamo/keys.js';
import type { Rate, Store } from '../../src/store/index.js';
import { anotherContainer, useTable } from '../support/table.js';
import { meterWriteUnits } from '../support/write-units-meter.js';

const table = useTable();

/** The room's rates as deployed by default. */
const defaults = readConfig({
  TABLE_NAME: 't',
  CALLBACK_URL: 'u',
  AWS_LAMBDA_FUNCTION_NAME: 'f',
}).limits;
const roomRate = defaults.room as Rate;
const share = defaults.roomShare as number;

/** DynamoDB's limit on one partition, which a room's log is. */
const PARTITION_UNITS_PER_SECOND = 1_000;

const LONGEST = 'x'.repeat(16 * 1024);

/** What DynamoDB bills the transaction of a 16 KiB edit: two items of 17 KB, twice. */
const EDIT_OF_16_KIB = 2 * (17 + 17);

/** A container on the table whose clock the test sets, its writes metered. */
const clocked = (start: number) => {
  const clock = { now: start };
  const { client, store } = anotherContainer(table, () => clock.now);
  return { clock, store, meter: meterWriteUnits(client) };
};

const by = (name: string) => ({ author: `name:${name}`, sender: name });

const settled = <T>(results: PromiseSettledResult<T>[]) => ({
  admitted: results.filter((r) => r.status === 'fulfilled').length,
  refusals: results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).name] : [])),
});

describe('a room’s rate in write units', () => {
  it('charges each event the write units DynamoDB bills for it', async () => {
    const room = 'metered';
    const { store, meter } = clocked(1_000_000);
    // One unit a second: the head's schedule moves 1,000 ms per write unit charged.
    const roomRate = { perSecond: 1, burst: 100_000 };
    const scheduled = async () => {
      const { Item } = await table.client.send(
        new GetCommand({ TableName: table.tableName, Key: headKey(room), ConsistentRead: true }),
      );
      return (Item?.rtat as number | undefined) ?? 1_000_000;
    };
    const ann = { room, ...by('ann') };
    // Each step, and the KB of the items its transaction writes (2 units each per KB).
    const steps: [string, () => Promise<unknown>, number[]][] = [
      ['a short message', () => store.appendMessage({ ...ann, text: 'hi' }, { roomRate }), []],
      ['a 16 KiB message', () => store.appendMessage({ ...ann, text: LONGEST }, { roomRate }), []],
      [
        'a short message with an id',
        () => store.appendMessage({ ...ann, id: 'a', text: 'hi' }, { roomRate }),
        [1, 1],
      ],
      [
        'a 16 KiB message with an id',
        () => store.appendMessage({ ...ann, id: 'b', text: LONGEST }, { roomRate }),
        [17, 1],
      ],
      [
        'a short edit',
        () => store.editMessage({ ...ann, target: 1, text: 'yo' }, { roomRate }),
        [1, 1],
      ],
      [
        'a 16 KiB edit of a 16 KiB message',
        () => store.editMessage({ ...ann, target: 4, text: LONGEST }, { roomRate }),
        [17, 17],
      ],
      [
        // DynamoDB bills an update by the larger of the item before and after.
        'the deletion of a message edited to 16 KiB',
        () => store.deleteMessage({ ...ann, target: 4 }, { roomRate }),
        [1, 17],
      ],
    ];
    const charged: [string, number][] = [];
    const billed: [string, number][] = [];
    for (const [name, step, transaction] of steps) {
      const before = await scheduled();
      meter.take(roomPk(room));
      await step();
      charged.push([name, ((await scheduled()) - before) / 1000]);
      // The single-item writes as DynamoDB Local measured them, the transaction by the rule.
      const { units, transactions } = meter.take(roomPk(room));
      expect(transactions, name).toBe(transaction.length > 0 ? 1 : 0);
      billed.push([name, units + 2 * transaction.reduce((a, b) => a + b, 0)]);
    }
    expect(charged).toEqual(billed);
    expect(Object.fromEntries(charged)).toMatchObject({
      'a 16 KiB message': 18,
      'a short message with an id': 5,
      'a 16 KiB edit of a 16 KiB message': 69,
    });
  });

  it('refuses 20 edits of 16 KiB a second as room busy before the room’s partition would overrun', async () => {
    const room = 'edited';
    const { clock, store, meter } = clocked(2_000_000);
    const targets = Array.from({ length: 20 }, (_, n) => n + 1);
    for (const _ of targets) await store.appendMessage({ room, ...by('eve'), text: LONGEST });
    let admitted = 0;
    for (let second = 0; second < 6; second++) {
      clock.now = 2_000_000 + second * 1000;
      meter.take(roomPk(room));
      const edits = await Promise.allSettled(
        targets.map((target) =>
          store.editMessage(
            { room, target, ...by('eve'), text: `${LONGEST.slice(1)}${second}` },
            { roomRate },
          ),
        ),
      );
      const { admitted: now, refusals } = settled(edits);
      admitted += now;
      expect(new Set(refusals)).toEqual(new Set(now < 20 ? ['RoomBusyError'] : []));
      const { units, transactions } = meter.take(roomPk(room));
      // Each edit's transaction: two items of 17 KB (the event and the revision), twice.
      const billed = units + transactions * EDIT_OF_16_KIB;
      expect(billed, `second ${second}`).toBeLessThanOrEqual(PARTITION_UNITS_PER_SECOND);
    }
    // The burst (500 write units, 7 edits), then the rate (250 a second, 3 or 4 edits).
    expect(admitted).toBeLessThan(7 + 4 * 5 + 1);
  });

  it('keeps other networks’ short messages admitted while one network edits 16 KiB messages 20 times a second', async () => {
    const room = 'shared';
    const editor = clocked(3_000_000);
    const talkers = ['192.0.2.1', '192.0.2.2', '192.0.2.3'].map((ip) => ({
      ip,
      ...clocked(3_000_000),
    }));
    for (let n = 1; n <= 20; n++) {
      await editor.store.appendMessage({ room, ...by('eve'), text: LONGEST });
    }
    const options = (sourceIp: string) => ({ roomRate, share: { sourceIp, fraction: share } });
    let shortsAdmitted = 0;
    for (let second = 0; second < 6; second++) {
      const now = 3_000_000 + second * 1000;
      for (const container of [editor, ...talkers]) container.clock.now = now;
      const edits = Array.from({ length: 20 }, (_, n) =>
        editor.store.editMessage(
          { room, target: n + 1, ...by('eve'), text: `${LONGEST.slice(1)}${second}` },
          options('198.51.100.7'),
        ),
      );
      const shorts = talkers.flatMap(({ ip, store }) =>
        Array.from({ length: 10 }, (_, n) =>
          store.appendMessage(
            { room, ...by(ip), id: `${second}/${n}`, text: 'short' },
            options(ip),
          ),
        ),
      );
      const [editsDone, shortsDone] = await Promise.all([
        Promise.allSettled(edits),
        Promise.allSettled(shorts),
      ]);
      expect(settled(editsDone).admitted).toBeLessThan(3);
      shortsAdmitted += settled(shortsDone).admitted;
      const edited = editor.meter.take(roomPk(room));
      let billed = edited.units + edited.transactions * EDIT_OF_16_KIB;
      for (const { meter } of talkers) {
        // Each short message's transaction: its item and its id record, 1 KB each, twice.
        const talked = meter.take(roomPk(room));
        billed += talked.units + talked.transactions * 4;
      }
      expect(billed, `second ${second}`).toBeLessThanOrEqual(PARTITION_UNITS_PER_SECOND);
    }
    expect(shortsAdmitted).toBe(180);
  });

  it('admits 50 short messages with ids a second from five networks at the default rate', async () => {
    const room = 'chatty';
    const senders = Array.from({ length: 5 }, (_, n) => ({
      ip: `203.0.113.${n}`,
      ...clocked(4_000_000),
    }));
    let admitted = 0;
    for (let second = 0; second < 5; second++) {
      for (const sender of senders) sender.clock.now = 4_000_000 + second * 1000;
      const sends = senders.flatMap(({ ip, store }: { ip: string; store: Store }) =>
        Array.from({ length: 10 }, (_, n) =>
          store.appendMessage(
            { room, ...by(ip), id: `${second}/${n}`, text: 'short' },
            { roomRate, share: { sourceIp: ip, fraction: share } },
          ),
        ),
      );
      admitted += settled(await Promise.allSettled(sends)).admitted;
    }
    expect(admitted).toBe(250);
  });

  it('admits at most 2,500 / 200 messages a second to a 200-member room once its burst is spent', async () => {
    const room = 'crowd';
    const { clock, store } = clocked(5_000_000);
    const posts = { perSecond: defaults.roomPosts as number, recipients: 200 };
    const perSecond: number[] = [];
    for (let second = 0; second < 6; second++) {
      clock.now = 5_000_000 + second * 1000;
      const sends = Array.from({ length: 30 }, (_, n) =>
        store.appendMessage(
          { room, ...by('bob'), id: `${second}/${n}`, text: 'hello all' },
          { roomRate, posts },
        ),
      );
      perSecond.push(settled(await Promise.allSettled(sends)).admitted);
    }
    // 5,000 posts of burst (25 messages), then 2,500 posts a second: 12.5 messages.
    expect(perSecond[0]).toBe(25);
    for (const admitted of perSecond.slice(1)) expect(admitted).toBeLessThanOrEqual(13);
    expect(perSecond.slice(1).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(Math.ceil(12.5 * 5));
  });
});
