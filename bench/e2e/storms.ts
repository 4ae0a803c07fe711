/**
 * Storms (issue 24) on both runtimes side by side: a join storm, a send burst with listeners and
 * a reconnect, one connection's flood, a connect-and-drop flood, and a room whose every member
 * sends at once. Each runs first on the emulator's default runtime (`containers`: what
 * `npm start` runs, with its defaults) and then `in-process`, each on a fresh stack in a process
 * of its own (storms/child.ts), with a table of its own on one DynamoDB Local.
 * Run alone: `npx tsx bench/e2e/storms.ts [--quick] [--only=join,burst,flood,drop,everyone]
 * [--runtime=containers|in-process|both]` (writes bench/results-storms.json); `npm run bench`
 * runs it with the rest.
 */
import { fork } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { POOL_DEFAULTS } from '../../local/emulator/index.js';
import { machine, option } from '../stats.js';
import { RUNTIMES, STORM_NAMES, STORMS, type StormName, type StormRuntime } from './storms/all.js';
import type { ChildAnswer, ChildParams } from './storms/child.js';
import { childRssMiB } from './storms/memory.js';
import { printMemory, printStorm } from './storms/report.js';
import { warmDynamo } from './warm-dynamo.js';

/**
 * The environment this process started with. Every child gets it rather than the current one:
 * the emulator writes each stack's settings into `process.env`, so after other benchmarks in
 * `npm run bench` it holds their lifted limits, and a storm must meet the app's defaults.
 */
const STARTING_ENV = { ...process.env };

const CHILD = fileURLToPath(new URL('./storms/child.ts', import.meta.url));
const LOGS = new URL('../tmp/storms/', import.meta.url);
/** How long a child may take in all before it is killed (its storm's own deadlines are shorter). */
const childLimitMs = (quick: boolean) => (quick ? 120_000 : 600_000);

/**
 * How long a child waits at most, idle (5 s first), for the pool to reap its idle workers before
 * it reads its memory: what `npm start` holds once a storm is over. A quick run does not wait.
 */
const settleMs = (quick: boolean) => (quick ? 1 : POOL_DEFAULTS.idleMs + 20_000);

/** One storm on one runtime in a child; answers what it answered and what its log holds. */
const runChild = async (params: ChildParams, log: URL) => {
  const out = openSync(log, 'w');
  const child = fork(CHILD, [JSON.stringify(params)], {
    env: STARTING_ENV,
    execArgv: process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof')),
    stdio: ['ignore', out, out, 'ipc'],
  });
  let answer: ChildAnswer | undefined;
  child.on('message', (message: ChildAnswer) => {
    answer = message;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), childLimitMs(params.quick));
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.once('exit', (...exit) => resolve(exit)),
  );
  clearTimeout(timer);
  closeSync(out);
  const lines = (await readFile(log, 'utf8')).split('\n');
  const logged = {
    'log lines': lines.length - 1,
    // The emulator's line for an invocation that failed (a throw, a timeout, a throttle).
    'invocations failed (emulator log)': lines.filter((line) => / failed:/.test(line)).length,
    'handler error lines (log)': lines.filter((line) => line.includes('"level":"error"')).length,
  };
  const ended: ChildAnswer = answer ?? {
    ok: false,
    error: `the child ended (${signal ?? code}) without an answer; see ${log.pathname}`,
  };
  return { ...ended, logged };
};

/** One storm's outcome on one runtime: the child's answer, and what its log holds. */
export type StormOutcome = Awaited<ReturnType<typeof runChild>>;

export interface StormsOptions {
  quick?: boolean;
  only?: StormName[];
  runtimes?: readonly StormRuntime[];
}

/** Runs the storms asked for on the runtimes asked for; prints a table per storm, and memory. */
export const benchStorms = async ({
  quick = false,
  only = STORM_NAMES,
  runtimes = RUNTIMES,
}: StormsOptions = {}) => {
  await mkdir(LOGS, { recursive: true });
  const dynamo = await startDynamoDbLocal();
  const storms: Partial<Record<StormName, Partial<Record<StormRuntime, StormOutcome>>>> = {};
  const idleRssMiB: Partial<Record<StormRuntime, number | null>> = {};
  let dynamoRssMiB: number | undefined;
  // Memory once idle: after the join storm (the biggest crowd), else after the last storm.
  const memoryStorm = only.includes('join') ? 'join' : only.at(-1);
  try {
    // A cold DynamoDB Local would make the first storm (on containers) pay for its JIT alone.
    await warmDynamo(dynamo.endpoint, quick ? 500 : 1_500);
    for (const name of only) {
      const answers: Partial<Record<StormRuntime, StormOutcome>> = {};
      for (const runtime of runtimes) {
        const began = performance.now();
        const log = new URL(`${name}-${runtime}.log`, LOGS);
        const answer = await runChild(
          {
            storm: name,
            runtime,
            quick,
            dynamoEndpoint: dynamo.endpoint,
            tableName: `storms-${name}-${runtime}`,
            settleMs: name === memoryStorm ? settleMs(quick) : 0,
          },
          log,
        );
        const seconds = ((performance.now() - began) / 1000).toFixed(1);
        console.log(`storms: ${name} on ${runtime}, ${seconds} s (log: ${log.pathname})`);
        if (!answer.ok) {
          console.error(`\n!!! storms: ${name} on ${runtime} failed: ${answer.error}\n`);
        } else if (name === memoryStorm) idleRssMiB[runtime] = answer.idleRssMiB;
        answers[runtime] = answer;
      }
      printStorm(STORMS[name].title(quick), runtimes, answers);
      storms[name] = answers;
    }
    dynamoRssMiB = await childRssMiB('java');
  } finally {
    await dynamo.stop();
  }
  const memory = { emulatorIdleRssMiB: idleRssMiB, dynamoLocalRssMiB: dynamoRssMiB ?? null };
  printMemory(runtimes, memory);
  return { runtimes, storms, memory };
};

/** `--only=a,b` and `--runtime=...` from the command line, checked. */
const parseArgs = () => {
  const only = option('only')?.split(',') ?? STORM_NAMES;
  const unknown = only.filter((name) => !(STORM_NAMES as string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`--only takes ${STORM_NAMES.join(', ')}; not ${unknown.join(', ')}`);
  }
  const runtime = option('runtime') ?? 'both';
  if (runtime !== 'both' && !(RUNTIMES as readonly string[]).includes(runtime)) {
    throw new Error(`--runtime takes containers, in-process or both; not ${runtime}`);
  }
  return {
    quick: process.argv.includes('--quick'),
    only: only as StormName[],
    runtimes: runtime === 'both' ? RUNTIMES : [runtime as StormRuntime],
  };
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = parseArgs();
  const started = new Date().toISOString();
  const clock = performance.now();
  const loadBefore = loadavg().map((n) => Number(n.toFixed(2)));
  const storms = await benchStorms(options);
  const results = {
    started,
    quick: options.quick,
    machine: { ...(await machine()), loadBefore },
    ...storms,
    loadAfter: loadavg().map((n) => Number(n.toFixed(2))),
    seconds: Math.round((performance.now() - clock) / 1000),
  };
  const file = new URL('../results-storms.json', import.meta.url);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\nload average before ${loadBefore.join(' ')}, after ${results.loadAfter.join(' ')}`,
  );
  console.log(`${results.seconds} s; wrote ${file.pathname}`);
}
