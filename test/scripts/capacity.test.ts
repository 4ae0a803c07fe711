import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseCapacityArgs, UsageError } from '../../scripts/capacity/args.js';
import { plan } from '../../scripts/capacity/plan.js';
import { MESSAGES_PER_FRAME } from '../../scripts/capacity/sample.js';
import { planSettings } from '../../scripts/capacity/settings.js';

const run = promisify(execFile);

/** `npm run capacity -- …` as an operator runs it. */
const capacity = (...args: string[]) =>
  run(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/capacity.ts', ...args]);

// The function's defaults (an empty environment) and infra/'s: reserved concurrency 100.
const { batchWindowMs: window, ...settings } = planSettings({});
const room = (members: number, rate: number, batchWindowMs: number | undefined) =>
  plan({ members, rate, rooms: 1, batchWindowMs }, settings);

describe('the capacity plan', () => {
  it('works out a 1,000-member room at 10 messages a second, one post per member per message', () => {
    const result = room(1_000, 10, undefined);
    // Posts: 10 messages × 1,000 members (the sender's acknowledgement among them) = 10,000 a
    // second, all of API Gateway's 10,000.
    expect(result.delivery.postsPerSecond).toBe(10_000);
    // The room's partition: the claim (1) + the message item twice in its transaction (2) = 3
    // WCU a message, 30 a second.
    expect(result.dynamo.partitionWcu).toBe(30);
    // Fan-out: 1,000 > 500 members per worker, so workersFor gives 2 invocations of 500 each.
    // A worker: 10 ms query + 500 posts at 2,000/s = 260 ms; the sender waits 30 ms to invoke
    // it, so 290 ms to the last member, plus its own 30 ms: 320 ms. Concurrency: 10/s × 0.32 s
    // + 10 workers/s × 0.26 s = 3.2 + 2.6 = 5.8.
    expect(result.delivery.workers).toBe(2);
    expect(result.delivery.concurrency).toBeCloseTo(5.8, 6);
    // The room's rate charges a message max(5 write units, 1,000 × 250 / 2,500 = 100): 250 / 100
    // = 2.5 messages a second, so it refuses most of the 10.
    expect(result.room).toEqual({ maxRate: 2.5, refuses: true });
    // API Gateway: (10 in + 10,000 posts) × 3,600 s × $1 / M = $36.036 an hour.
    expect(result.cost.lines[0]?.perHour).toBeCloseTo(36.036, 6);
    // Connection minutes: 1,000 × 60 × $0.25 / M = $0.015 an hour.
    expect(result.cost.lines[1]?.perHour).toBeCloseTo(0.015, 6);
    // Lambda: 5.8 GB-s a second × 3,600 × $0.0000133334 = $0.2784 an hour.
    expect(result.cost.lines[3]?.perHour).toBeCloseTo(0.2784, 4);
  });

  it('works out a batched 1,000-member room at 10 messages a second, paced by its posts budget', () => {
    const result = room(1_000, 10, window);
    // Rounds are spaced by the longest of the 50 ms window, 999 posts / 2,500 a second = 399.6
    // ms, and the round's own 30 + 290 = 320 ms: 399.6 ms, 2.5 rounds a second, 4 messages each.
    expect(result.delivery.round).toEqual({
      periodMs: 399.6,
      pacedBy: 'room posts budget',
      busy: true,
    });
    // Posts: 10 acknowledgements + 999 members × 2.5025 rounds = 2,510 a second.
    expect(result.delivery.postsPerSecond).toBeCloseTo(2_510, 6);
    // Concurrency: the deliverer (1) + 10 offers × 30 ms + 2.5 rounds × 1 worker × 260 ms = 1.95.
    expect(result.delivery.concurrency).toBeCloseTo(1 + 0.3 + (1000 / 399.6) * 0.26, 6);
    // Charged its 5 write units only: 250 / 5 = 50 messages a second, no refusal at 10.
    expect(result.room).toEqual({ maxRate: 50, refuses: false });
  });

  it('delivers a quiet room message by message: 100 members at 10 a second', () => {
    const result = room(100, 10, window);
    // Rounds may start every max(50, 99 / 2,500 s = 39.6, 30 + 100 / 2,000 s = 80) = 80 ms,
    // 12.5 a second: 10 messages a second each get a round of their own, 10 + 99 × 10 = 1,000
    // posts; each invocation runs 80 ms: 0.8 running at once.
    expect(result.delivery.round).toEqual({ periodMs: 80, pacedBy: 'round time', busy: false });
    expect(result.delivery.postsPerSecond).toBe(1_000);
    expect(result.delivery.concurrency).toBeCloseTo(0.8, 6);
  });

  it('binds on the posts quota first of AWS limits without batching, and not with it', () => {
    const off = room(1_000, 10, undefined);
    expect(off.bindingAws.name).toBe('@connections posts (account)');
    expect(off.bindingAws.ceiling).toBeCloseTo(10, 2);
    // The room's own budget refuses before that: 2.5 messages a second.
    expect(off.binding).toMatchObject({
      name: 'room posts budget',
      raise: expect.stringContaining('ROOM_POSTS_PER_SECOND'),
    });
    const on = room(1_000, 10, window);
    // The room's partition: 1,000 WCU / 3 a message = 333 messages a second.
    expect(on.bindingAws.name).toBe("room's partition, writes");
    expect(on.bindingAws.ceiling).toBeCloseTo(1000 / 3, 2);
    expect(on.binding).toMatchObject({
      name: 'room write rate',
      raise: expect.stringContaining('ROOM_RATE_PER_SECOND'),
    });
  });

  it('moves the binding limit as the room and its rate grow', () => {
    // 100 members without batching: the posts part (100 × 0.1 = 10 units) over 250 a second is
    // 25 messages a second.
    expect(room(100, 10, undefined).binding.ceiling).toBeCloseTo(25, 2);
    // A room over ROOM_MEMBERS_MAX (5,000) is full at any rate.
    const crowded = room(6_000, 1, window);
    expect(crowded.binding).toMatchObject({ name: 'members per room', ceiling: 0 });
    // Without the room's rate and size caps, a batched 5,000-member room meets its posts budget
    // first: its messages fill 4,999 × rate / MESSAGES_PER_FRAME frames a second, which reach
    // 2,500 at 2,500 × MESSAGES_PER_FRAME / 4,999 messages a second (72 for 80-character ones).
    const { batchWindowMs: _, ...open } = planSettings({
      ROOM_RATE_PER_SECOND: '0',
      ROOM_MEMBERS_MAX: '0',
    });
    const big = plan({ members: 5_000, rate: 50, rooms: 1, batchWindowMs: window }, open);
    expect(big.binding.name).toBe('room posts budget, rounds');
    expect(big.binding.ceiling).toBeCloseTo((2_500 * MESSAGES_PER_FRAME) / 4_999, 2);
    // And with that off too, the account's posts quota.
    const { batchWindowMs: __, ...bare } = planSettings({
      ROOM_RATE_PER_SECOND: '0',
      ROOM_MEMBERS_MAX: '0',
      ROOM_POSTS_PER_SECOND: '0',
    });
    const unpaced = plan({ members: 5_000, rate: 50, rooms: 1, batchWindowMs: window }, bare);
    expect(unpaced.binding.name).toBe('@connections posts (account)');
    // 40 such rooms need 40 × 50 messages a second: over the stage's 1,000.
    const many = plan({ members: 100, rate: 50, rooms: 40, batchWindowMs: window }, open);
    expect(many.limits.find((row) => row.name === 'stage throttle')?.share).toBe(2);
  });
});

describe('npm run capacity', () => {
  it('refuses arguments it cannot use, saying which', () => {
    const error = (argv: string[]) => {
      try {
        parseCapacityArgs(argv);
      } catch (caught) {
        expect(caught).toBeInstanceOf(UsageError);
        return (caught as Error).message;
      }
      throw new Error(`accepted ${argv.join(' ')}`);
    };
    expect(error(['--members', '1000'])).toBe('--members and --rate are required');
    expect(error(['--members=-5', '--rate', '1'])).toContain('--members must be a whole number');
    expect(error(['--members', '10', '--rate', 'fast'])).toContain(
      '--rate must be a number above 0',
    );
    expect(error(['--members', '10', '--rate', '1', '--rooms', '1.5'])).toContain('--rooms');
    expect(error(['--members', '10', '--rate', '1', '--colour'])).toContain("'--colour'");
  });

  it('prints the plan as JSON, and exits 2 on a bad argument', async () => {
    const { stdout } = await capacity(
      '--members',
      '1000',
      '--rate',
      '10',
      '--batch-window',
      '0',
      '--json',
    );
    const printed = JSON.parse(stdout);
    expect(printed.bindingAws.name).toBe('@connections posts (account)');
    expect(printed.delivery.postsPerSecond).toBe(10_000);
    const failed = await capacity('--members', '1000', '--rate', '0').catch((error) => error);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('--rate must be a number above 0');
    expect(failed.stderr).toContain('usage: npm run capacity');
  });
});
