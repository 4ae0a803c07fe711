/**
 * One storm on one runtime, in a process of its own (forked by bench/e2e/storms.ts): a fresh
 * stack as `npm start` makes it (the chat's own handler, the emulator's defaults but for the
 * runtime, request logging on; DynamoDB Local is the parent's, with a table of this run's), its
 * own crowd, the storm, then the runtime's counts, this process's CPU time and memory. A process
 * of its own so that its memory is this storm's and this runtime's alone, and no setting leaks
 * from one stack to the next. Answers the parent over IPC, then exits without a teardown: a
 * stack's stop waits (up to 10 s) for the `$disconnect`s of a room that all leaves at once, which
 * nothing here measures.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalStack } from '../../../local/stack.js';
import { round } from '../../stats.js';
import { startCrowd } from '../crowd.js';
import { STORMS, type StormName, type StormRuntime } from './all.js';
import { rssMiB } from './memory.js';
import type { Figure } from './scenario.js';

/** What the parent asks of a child (its one argument, as JSON). */
export interface ChildParams {
  storm: StormName;
  runtime: StormRuntime;
  quick: boolean;
  dynamoEndpoint: string;
  tableName: string;
  /**
   * After the storm, close its clients and wait this long, idle, before measuring memory again
   * (0: do not).
   */
  settleMs: number;
}

/** What a child answers: the figures side by side, and everything measured, for the JSON. */
export type ChildAnswer =
  | {
      ok: true;
      figures: Record<string, Figure>;
      result: unknown;
      stats: Record<string, unknown>;
      idleRssMiB: number | null;
    }
  | { ok: false; error: string };

/** The runtime's counts as figures: numbers as they are, lists by their length. */
const statFigures = (stats: object) =>
  Object.fromEntries(
    Object.entries(stats).flatMap(([key, value]): [string, Figure][] =>
      typeof value === 'number'
        ? [[`runtime: ${key}`, value]]
        : Array.isArray(value)
          ? [[`runtime: ${key} (count)`, value.length]]
          : [],
    ),
  );

const run = async ({ storm: name, runtime, quick, settleMs, ...table }: ChildParams) => {
  const storm = STORMS[name];
  const stack = await startLocalStack({ port: 0, runtime, ...table, env: await storm.env() });
  const crowd = startCrowd();
  try {
    const began = performance.now();
    const cpu = process.cpuUsage();
    const result = await storm.run({ crowd, stack, quick });
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - began) / 1000;
    const stats = stack.runtime.stats();
    const figures: Record<string, Figure> = {
      ...storm.figures(result),
      ...statFigures(stats),
      'storm s (wall)': round(seconds, 1),
      'emulator process CPU s': round((used.user + used.system) / 1e6, 1),
      'emulator process RSS MiB (end of storm)': rssMiB(),
    };
    let idleRssMiB: number | null = null;
    if (settleMs > 0) {
      for (const group of storm.groups) await crowd.ask('close', { group, perSecond: 500 });
      await sleep(5_000);
      // Then, up to `settleMs`, until the pool has reaped its idle workers (all but one container).
      const until = performance.now() + settleMs;
      while (stack.runtime.stats().containersAlive > 1 && performance.now() < until) {
        await sleep(1_000);
      }
      // A freed thread's memory goes back to the system over some seconds, not at once.
      await sleep(Math.min(10_000, settleMs));
      idleRssMiB = rssMiB();
      figures['containers alive once idle'] = stack.runtime.stats().containersAlive;
    }
    return { ok: true, figures, result, stats: { ...stats }, idleRssMiB } as const;
  } finally {
    crowd.stop();
  }
};

/** Sends the answer to the parent (or prints it, run by hand) and resolves once it is out. */
const answer = (message: ChildAnswer) =>
  new Promise<void>((resolve) => {
    if (!process.send) {
      console.log(JSON.stringify(message, null, 2));
      return resolve();
    }
    process.send(message, () => resolve());
  });

try {
  await answer(await run(JSON.parse(process.argv[2] ?? '{}') as ChildParams));
} catch (error) {
  console.error(error);
  await answer({ ok: false, error: String((error as Error)?.stack ?? error) });
}
// The containers' threads, the crowd's channel and the stack's sockets may still hold the loop.
process.exit(0);
