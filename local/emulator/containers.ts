import { availableParallelism } from 'node:os';
import { bundleHandler } from './bundle.js';
import { type PoolWorker, startPoolWorker } from './container.js';
import { FairQueue } from './fair-queue.js';
import type { InvocationType, Outcome, Runtime, RuntimeOptions, RuntimeStats } from './invoke.js';
import { parseSpec } from './load-handler.js';
import type { Log } from './log.js';
import { ThrottledError } from './runtime-errors.js';

/** A module-spec handler run in Lambda-like containers hosted by a pool of worker threads. */
export interface ContainerRuntimeOptions extends RuntimeOptions {
  /** `path/to/module.ts#exportName`. */
  spec: string;
  /** Reserved concurrency: invocations running at once, past which a sync one is throttled. */
  concurrency: number;
  /**
   * Containers started (warm) before the emulator serves, like Lambda's provisioned
   * concurrency; default 1. Idle reaping keeps this many.
   */
  provisioned?: number;
  /** Worker threads hosting the containers; default the machine's cores. */
  workers?: number;
  /** Containers one worker thread hosts at most; default 8. */
  containersPerWorker?: number;
  /** A worker idle this long is ended with its containers (reaped); default 30 000. */
  idleMs?: number;
  /** Invocations that may wait for a container before a sync one is refused; default 1 000. */
  backlog?: number;
  /** Invocations of one WebSocket connection's frames running at once; default 2. */
  perConnection?: number;
  /** Each line the containers write to stdout (the local dashboard reads their metrics there). */
  onStdoutLine?: (line: string) => void;
  log: Log;
}

/** What the runtime starts with unless told otherwise. */
export const POOL_DEFAULTS = {
  workers: Math.max(1, availableParallelism()),
  containersPerWorker: 8,
  idleMs: 30_000,
  backlog: 1_000,
  perConnection: 2,
};

/**
 * Runs each invocation in a container of its own, one at a time per container, as Lambda does: a
 * warm idle container is reused and a new one (a cold start) is made only when none is idle.
 * What Lambda's limits say stays: at most `concurrency` invocations run at once, and past that a
 * sync invocation is throttled (an async one waits). What a laptop can carry is bounded apart: the
 * containers live in a pool of `workers` threads (about the cores), at most `containersPerWorker`
 * each, and an invocation that finds them all busy waits its turn in a fair queue instead of
 * starting another thread. Waiting is the laptop's cost, not Lambda's, so it does not count
 * against the concurrency limit; only a backlog past `backlog` is refused, as throttled (logged as
 * the machine's, not the function's, limit). Workers idle for `idleMs` are reaped. One container
 * is started before this resolves, so a spec whose module or export is missing fails at start-up.
 */
export const startContainerRuntime = async (options: ContainerRuntimeOptions): Promise<Runtime> => {
  const { spec, concurrency, timeoutMs, log } = options;
  const workerCount = options.workers ?? POOL_DEFAULTS.workers;
  const perWorker = options.containersPerWorker ?? POOL_DEFAULTS.containersPerWorker;
  const idleMs = options.idleMs ?? POOL_DEFAULTS.idleMs;
  const backlog = options.backlog ?? POOL_DEFAULTS.backlog;
  const perConnection = options.perConnection ?? POOL_DEFAULTS.perConnection;
  const limits = { concurrency, workerCount, perWorker, backlog, perConnection };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${name} must be a whole number of at least 1, not ${value}`);
    }
  }
  const capacity = Math.min(concurrency, workerCount * perWorker);
  const provisioned = Math.min(capacity, Math.max(1, options.provisioned ?? 1));
  const { file, exportName } = parseSpec(spec);
  const bundle = await bundleHandler(file);
  const workers = new Set<PoolWorker>();
  const idle: { containerId: number; worker: PoolWorker }[] = [];
  const queue = new FairQueue<{
    event: unknown;
    lane?: string;
    done: (outcome: Outcome) => void;
  }>();
  /** Invocations running now for each connection that has any. */
  const runningByLane = new Map<string, number>();
  const mayRun = (lane: string | undefined) =>
    lane === undefined || (runningByLane.get(lane) ?? 0) < perConnection;
  /** Takes a slot (and a place in its connection's share) for an invocation about to start. */
  const begin = (lane: string | undefined) => {
    running += 1;
    if (lane !== undefined) runningByLane.set(lane, (runningByLane.get(lane) ?? 0) + 1);
  };
  const end = (lane: string | undefined) => {
    running -= 1;
    if (lane === undefined) return;
    const left = (runningByLane.get(lane) ?? 1) - 1;
    if (left > 0) runningByLane.set(lane, left);
    else runningByLane.delete(lane);
  };
  const inFlight = new Set<Promise<Outcome>>();
  const stats = { containersCreated: 0, initDurationsMs: [] as number[], throttled: 0 };
  let nextWorkerId = 0;
  let nextContainerId = 0;
  /** Invocations running (or cold-starting) in a container. */
  let running = 0;
  let stopped = false;

  const events = {
    onContainerDeath: (containerId: number) => {
      const index = idle.findIndex((entry) => entry.containerId === containerId);
      if (index !== -1) idle.splice(index, 1);
    },
    onDeath: (worker: PoolWorker) => workers.delete(worker),
    onStrayCrash: (error: Error) =>
      log.error('a container crashed between invocations and was thrown away:', error),
    ...(options.onStdoutLine ? { onStdoutLine: options.onStdoutLine } : {}),
  };

  /** The worker for a new container: a new one while there are fewer, else the least loaded. */
  const workerForNewContainer = () => {
    const open = [...workers].filter((worker) => !worker.retired);
    const size = (worker: PoolWorker) => worker.containers.size;
    const best = open
      .filter((worker) => size(worker) < perWorker)
      .reduce<PoolWorker | undefined>(
        (min, w) => (!min || size(w) < size(min) ? w : min),
        undefined,
      );
    if (best && (size(best) === 0 || open.length >= workerCount)) return best;
    const worker = startPoolWorker(
      nextWorkerId++,
      bundle,
      { file, exportName, functionName: options.functionName, region: options.region },
      events,
    );
    workers.add(worker);
    return worker;
  };

  const create = async () => {
    const began = performance.now();
    const worker = workerForNewContainer();
    const containerId = nextContainerId++;
    stats.containersCreated += 1;
    await worker.create(containerId);
    const initMs = performance.now() - began;
    stats.initDurationsMs.push(initMs);
    return { containerId, worker, initMs };
  };

  /** A warm container, from the worker with the least running in it. */
  const takeIdle = () => {
    let pick = -1;
    for (let index = idle.length - 1; index >= 0; index--) {
      const entry = idle[index];
      if (!entry || entry.worker.retired) continue;
      if (pick === -1 || entry.worker.running < (idle[pick]?.worker.running ?? 0)) pick = index;
    }
    return pick === -1 ? undefined : idle.splice(pick, 1)[0];
  };

  /** Runs one invocation on a slot already taken (`begin`); gives the slot back after. */
  const execute = async (event: unknown, lane: string | undefined): Promise<Outcome> => {
    let container = takeIdle();
    let initMs: number | undefined;
    try {
      if (!container) {
        const made = await create();
        container = made;
        initMs = made.initMs;
      }
      const ran = await container.worker.run(container.containerId, event, timeoutMs);
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
      // Back to the warm ones, unless it died (or its thread was retired) during the invocation.
      if (container?.worker.containers.has(container.containerId) && !container.worker.retired) {
        idle.push(container);
      }
      end(lane);
      pump();
    }
  };

  const pump = () => {
    while (queue.size > 0 && running < capacity && !stopped) {
      const next = queue.shift(mayRun);
      if (!next) return;
      begin(next.lane);
      void execute(next.event, next.lane).then(next.done);
    }
  };

  const track = (run: Promise<Outcome>) => {
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
    return run;
  };

  const aliveContainers = () =>
    [...workers].reduce((sum, worker) => sum + worker.containers.size, 0);

  /** Ends workers idle for `idleMs` whose containers are more than the provisioned ones. */
  const reap = () => {
    const now = Date.now();
    for (const worker of workers) {
      const count = worker.containers.size;
      if (worker.retired || worker.running > 0 || now - worker.lastActiveAt < idleMs) continue;
      if (aliveContainers() - count < provisioned && count <= provisioned) continue;
      for (let index = idle.length - 1; index >= 0; index--) {
        if (idle[index]?.worker === worker) idle.splice(index, 1);
      }
      worker.terminate();
    }
    const missing = provisioned - aliveContainers();
    if (missing > 0 && !stopped) void provision(missing).catch(() => undefined);
  };
  const reaper = setInterval(reap, Math.max(100, Math.min(5_000, idleMs / 4)));
  reaper.unref();

  /** Starts `count` warm containers, one at a time: starting many at once slows each. */
  const provision = async (count: number) => {
    for (let n = 0; n < count; n++) {
      begin(undefined);
      try {
        idle.push(await create());
      } finally {
        end(undefined);
        pump();
      }
    }
  };

  try {
    await provision(provisioned);
  } catch (error) {
    clearInterval(reaper);
    for (const worker of workers) worker.terminate();
    await bundle.dispose();
    throw error;
  }

  return {
    invoke: (event, type: InvocationType = 'sync') => {
      if (type === 'sync' && running >= concurrency) {
        stats.throttled += 1;
        return Promise.resolve({ ok: false, error: new ThrottledError() });
      }
      if (type === 'sync' && queue.size >= backlog) {
        stats.throttled += 1;
        log.error(
          `throttled: ${queue.size} invocations already wait for this machine's containers`,
        );
        return Promise.resolve({ ok: false, error: new ThrottledError() });
      }
      const lane = laneOf(event);
      const outcome = new Promise<Outcome>((done) =>
        queue.push({ event, done, ...(lane === undefined ? {} : { lane }) }, lane),
      );
      // Straight to a container when one is free and its connection has its share; else it waits.
      pump();
      return track(outcome);
    },
    drain: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    stop: async () => {
      stopped = true;
      clearInterval(reaper);
      for (const worker of workers) worker.terminate();
      await bundle.dispose();
    },
    stats: (): RuntimeStats => ({
      mode: 'containers',
      ...stats,
      initDurationsMs: [...stats.initDurationsMs],
      containersAlive: aliveContainers(),
      workersAlive: workers.size,
      queued: queue.size,
    }),
  };
};

/** The connection whose frame an event is (its lane in the queue); none for other invocations. */
const laneOf = (event: unknown) => {
  const id = (event as { requestContext?: { connectionId?: unknown } } | null)?.requestContext
    ?.connectionId;
  return typeof id === 'string' ? id : undefined;
};
