import { bundleHandler } from './bundle.js';
import { type Container, startContainer } from './container.js';
import type { InvocationType, Outcome, Runtime, RuntimeOptions, RuntimeStats } from './invoke.js';
import { parseSpec } from './load-handler.js';
import type { Log } from './log.js';
import { ThrottledError } from './runtime-errors.js';

/** A module-spec handler run in containers, at most `concurrency` invocations at once. */
export interface ContainerRuntimeOptions extends RuntimeOptions {
  /** `path/to/module.ts#exportName`. */
  spec: string;
  /** Reserved concurrency: containers busy at once. */
  concurrency: number;
  /**
   * Containers started (warm) before the emulator serves, like Lambda's provisioned
   * concurrency; default 1. More spares a burst of invocations a burst of cold starts.
   */
  provisioned?: number;
  log: Log;
}

/**
 * Runs each concurrent invocation in a container of its own, as Lambda does: a warm idle
 * container is reused, a new one (a cold start) is made only when all are busy, and at most
 * `concurrency` run at once. Past that, a sync invocation is throttled and an async one waits
 * for a free container (Lambda retries throttled async events itself). One container is started
 * before this resolves, so a spec whose module or export is missing fails at start-up.
 */
export const startContainerRuntime = async (options: ContainerRuntimeOptions): Promise<Runtime> => {
  const { spec, concurrency, timeoutMs, log } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`concurrency must be a whole number of at least 1, not ${concurrency}`);
  }
  const { file, exportName } = parseSpec(spec);
  const bundle = await bundleHandler(file);
  const alive = new Set<Container>();
  const idle: Container[] = [];
  const queue: { event: unknown; done: (outcome: Outcome) => void }[] = [];
  const inFlight = new Set<Promise<Outcome>>();
  const stats = { containersCreated: 0, initDurationsMs: [] as number[], throttled: 0 };
  let busy = 0;

  const create = async () => {
    const began = performance.now();
    const container = startContainer(
      bundle,
      { file, exportName, functionName: options.functionName, region: options.region },
      (error) => log.error('a container crashed between invocations and was thrown away:', error),
      () => {
        alive.delete(container);
        const index = idle.indexOf(container);
        if (index !== -1) idle.splice(index, 1);
      },
    );
    alive.add(container);
    stats.containersCreated += 1;
    await container.ready;
    const initMs = performance.now() - began;
    stats.initDurationsMs.push(initMs);
    return { container, initMs };
  };

  /** Runs one invocation on a slot already taken; gives the slot back after. */
  const execute = async (event: unknown): Promise<Outcome> => {
    let container = idle.pop();
    let initMs: number | undefined;
    try {
      if (!container) ({ container, initMs } = await create());
      const ran = await container.run(event, timeoutMs);
      const init = initMs === undefined ? '' : `\tInit Duration: ${initMs.toFixed(2)} ms`;
      log.info(
        `REPORT RequestId: ${ran.requestId}\tDuration: ${ran.durationMs.toFixed(2)} ms\t` +
          `Billed Duration: ${Math.ceil(ran.durationMs)} ms\tMemory Size: 1024 MB${init}`,
      );
      return ran.outcome;
    } catch (error) {
      // The module failed to load in a new container (Lambda's init error).
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    } finally {
      if (container && !container.dead) idle.push(container);
      busy -= 1;
      pump();
    }
  };

  const pump = () => {
    while (queue.length > 0 && busy < concurrency) {
      const next = queue.shift();
      if (!next) return;
      busy += 1;
      void execute(next.event).then(next.done);
    }
  };

  const track = (run: Promise<Outcome>) => {
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
    return run;
  };

  const provisioned = Math.min(concurrency, Math.max(1, options.provisioned ?? 1));
  try {
    busy += 1;
    // One at a time: starting many at once only makes each start slower.
    for (let n = 0; n < provisioned; n++) idle.push((await create()).container);
  } catch (error) {
    for (const container of alive) container.terminate();
    await bundle.dispose();
    throw error;
  } finally {
    busy -= 1;
  }

  return {
    invoke: (event, type: InvocationType = 'sync') => {
      if (busy < concurrency && queue.length === 0) {
        busy += 1;
        return track(execute(event));
      }
      if (type === 'sync') {
        stats.throttled += 1;
        return Promise.resolve({ ok: false, error: new ThrottledError() });
      }
      return track(new Promise<Outcome>((done) => queue.push({ event, done })));
    },
    drain: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    stop: async () => {
      for (const container of alive) container.terminate();
      await bundle.dispose();
    },
    stats: (): RuntimeStats => ({
      mode: 'containers',
      ...stats,
      initDurationsMs: [...stats.initDurationsMs],
      containersAlive: alive.size,
    }),
  };
};
