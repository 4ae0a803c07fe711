/**
 * Which of the emulator's runtimes a benchmark's stack runs the handler in.
 *
 * The fan-out runs in Lambda-like containers: its workers must run in parallel to show anything.
 * The hot-path benchmarks (throughput, replay, connect-drop, burst) run the handler in-process:
 * what they measure is the store and the handler, and a burst of 100 concurrent sends would
 * start 100 containers, about 25 s of CPU on a laptop's 2 cores, which is the laptop's price,
 * not Lambda's. `BENCH_RUNTIME=containers` or `=in-process` runs them all in one.
 */
import type { LocalStackOptions } from '../../local/stack.js';

/** Containers started warm with a containers stack: about what the paced joins keep busy. */
export const PROVISIONED_CONTAINERS = 16;

type Runtime = 'containers' | 'in-process';

const chosen = (): Runtime | undefined => {
  const value = process.env.BENCH_RUNTIME;
  if (value === undefined || value === '') return undefined;
  if (value === 'containers' || value === 'in-process') return value;
  throw new Error(`BENCH_RUNTIME must be "containers" or "in-process", not "${value}"`);
};

/** The stack options for a benchmark whose own choice is `fallback`, unless BENCH_RUNTIME says. */
export const benchRuntime = (
  fallback: Runtime,
): Pick<LocalStackOptions, 'runtime' | 'provisioned'> =>
  (chosen() ?? fallback) === 'in-process'
    ? { runtime: 'in-process' }
    : { runtime: 'containers', provisioned: PROVISIONED_CONTAINERS };

/** The line a benchmark prints before its tables: where its handler ran. */
export const runtimeNote = (benchmarks: string, options: Pick<LocalStackOptions, 'runtime'>) =>
  `\n${benchmarks}: the handler runs ${
    options.runtime === 'in-process' ? 'in-process (one event loop)' : 'in Lambda-like containers'
  } (BENCH_RUNTIME to change)`;
