/**
 * Where the time goes in a big fan-out: CPU profiles of the process that runs the emulator and
 * the handler (as `npm start` does), taken only while messages fan out to rooms of 1,000 and
 * 5,000 members; the clients run in their own process and are not in the profile.
 * Run: `npx tsx bench/e2e/profile.ts [--sizes=1000,5000] [--messages=5] [--save=dir]`.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { startLocalStack } from '../../local/stack.js';
import { printTable, round, summarize } from '../stats.js';
import { createBenchContainer } from './container.js';
import { startCrowd } from './crowd.js';
import { BENCH_ENV } from './index.js';
import { type CpuProfile, summarizeProfile } from './profile-summary.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const sizes = arg('sizes', '1000,5000').split(',').map(Number);
const messages = Number(arg('messages', '5'));
const save = process.argv.find((a) => a.startsWith('--save='))?.slice(7);
const profiling = !process.argv.includes('--no-profile');

const container = createBenchContainer('chat');
const stack = await startLocalStack({
  port: 0,
  quiet: true,
  tableName: 'bench-profile',
  handler: container.handler,
  env: { ...BENCH_ENV, ...container.env },
});
const crowd = startCrowd();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
try {
  const rooms = sizes.map((size) => ({ room: `fan-${size}`, count: size }));
  await crowd.join({
    url: stack.wsUrl,
    group: 'p',
    rooms,
    batch: 100,
    perSecond: 500,
    awaitReplay: true,
  });
  await container.idle();
  for (const size of sizes) {
    const probe = { group: 'p', room: `fan-${size}`, warmup: 0, gapMs: 50, timeoutMs: 30_000 };
    await crowd.fanout({ ...probe, messages: 2 });
    await container.idle();
    container.reset();
    if (profiling) await session.post('Profiler.start');
    const result = await crowd.fanout({ ...probe, messages });
    await container.idle(50);
    const handlerMs = summarize(container.snapshot().durations.sendmessage ?? []).p50;
    console.log(
      `\n${size} members: last member p50 ${summarize(result.last).p50} ms, ` +
        `first ${summarize(result.first).p50} ms, handler p50 ${handlerMs} ms`,
    );
    if (!profiling) continue;
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    if (save) await writeFile(join(save, `fanout-${size}.cpuprofile`), JSON.stringify(profile));
    report(summarizeProfile(profile), size);
  }
  await crowd.close({ group: 'p', perSecond: 500 });
} finally {
  session.disconnect();
  crowd.stop();
  await container.idle();
  await stack.stop();
}

function report(summary: ReturnType<typeof summarizeProfile>, size: number) {
  const busy = summary.categories
    .filter(([name]) => !name.startsWith('idle'))
    .reduce((sum, [, ms]) => sum + ms, 0);
  printTable(
    `CPU of the stack process by side, per message (profile ${round(summary.totalMs, 0)} ms, busy ${round(busy, 0)} ms)`,
    summary.categories.map(([name, ms]) => ({
      side: name,
      'ms/msg': round(ms / messages, 1),
      'µs/post': round((ms * 1000) / (messages * size), 1),
      '% of busy': name.startsWith('idle') ? '' : round((100 * ms) / busy, 1),
    })),
  );
  printTable(
    'Top functions (self time, ms per message)',
    summary.functions
      .slice(0, 20)
      .map(([fn, ms]) => ({ function: fn, 'ms/msg': round(ms / messages, 1) })),
  );
}
