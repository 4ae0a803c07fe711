import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Bundle } from './bundle.js';
import type { ContainerData, FromWorker, ToWorker, WireError } from './container-messages.js';
import { createLineSplitter } from './dashboard-lines.js';
import type { Outcome } from './invoke.js';
import { exitError, timeoutError } from './runtime-errors.js';

/** One invocation's end, with the request id the container gave it. */
export interface Ran {
  requestId: string;
  outcome: Outcome;
  durationMs: number;
}

/** What a pool worker tells the runtime about the containers it hosts. */
export interface WorkerEvents {
  /** A container can take no more invocations (it crashed, exited or timed out). */
  onContainerDeath(containerId: number): void;
  /** The thread has ended; every container it hosted is gone. */
  onDeath(worker: PoolWorker): void;
  /** A crash while no invocation was running. */
  onStrayCrash(error: Error): void;
  /** A line the thread's containers wrote to stdout (it reaches the emulator's stdout as well). */
  onStdoutLine?(line: string): void;
}

/**
 * A worker thread of the pool, hosting Lambda-like containers (`container-worker.ts`): each a
 * module instance of its own that runs one invocation at a time. A container that crashes, exits
 * or times out fails its own invocation and is thrown away; its thread is then retired (it takes
 * no more work, and ends once the invocations still running in it have finished), because what
 * the failed invocation left running may still be there. A crash that cannot be pinned on one
 * container fails every invocation in the thread and ends it at once.
 */
export interface PoolWorker {
  readonly id: number;
  /** Containers alive in this thread: loading, idle or busy. */
  readonly containers: ReadonlySet<number>;
  /** Invocations running in this thread now. */
  readonly running: number;
  /** When an invocation last started or ended here (epoch ms). */
  readonly lastActiveAt: number;
  /** True once the thread takes no more work (`retire()`, a crash, or the end). */
  readonly retired: boolean;
  /** Loads a new container (a cold start); rejects with the module's error if it cannot load. */
  create(containerId: number): Promise<void>;
  run(containerId: number, event: unknown, timeoutMs: number): Promise<Ran>;
  /** Takes no more work and ends the thread once nothing runs in it. */
  retire(): void;
  terminate(): void;
}

/** Starts a pool worker thread; it hosts no container until `create` is called. */
export const startPoolWorker = (
  id: number,
  bundle: Bundle,
  data: Omit<ContainerData, 'bundleUrl'>,
  events: WorkerEvents,
): PoolWorker => {
  const workerData: ContainerData = { ...data, bundleUrl: bundle.handlerUrl };
  // Lambda's node runs the bundle with no flags: a worker would otherwise inherit the emulator's
  // own (tsx's loader hooks, which every cold start then ran over the bundle).
  const worker = new Worker(bundle.workerPath, { workerData, execArgv: [] });
  // An idle worker must not keep the emulator's process alive.
  worker.unref();
  const { onStdoutLine } = events;
  if (onStdoutLine) {
    // Node still pipes the thread's stdout to ours, unchanged and in order; this reads a copy.
    const lines = createLineSplitter(onStdoutLine);
    worker.stdout.on('data', lines.push);
    worker.stdout.on('end', lines.end);
  }
  const containers = new Set<number>();
  const loading = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  /** The invocation running in each busy container. */
  const current = new Map<number, { requestId: string; finish: (outcome: Outcome) => void }>();
  const containerOf = new Map<string, number>();
  let ended = false;
  let retired = false;
  let lastActiveAt = Date.now();

  const end = () => {
    if (ended) return;
    ended = true;
    retired = true;
    void worker.terminate();
    for (const containerId of containers) events.onContainerDeath(containerId);
    containers.clear();
    events.onDeath(self);
  };
  const endIfDone = () => {
    if (retired && current.size === 0) end();
  };
  /** Fails one container's invocation (if any) and throws the container away. */
  const killContainer = (containerId: number, error: (requestId: string) => Error) => {
    const invocation = current.get(containerId);
    if (invocation) invocation.finish({ ok: false, error: error(invocation.requestId) });
    else events.onStrayCrash(error('none'));
    if (containers.delete(containerId)) events.onContainerDeath(containerId);
    retired = true;
    endIfDone();
  };
  /** Fails everything in the thread and ends it. */
  const failAll = (error: (requestId: string) => Error) => {
    for (const { reject } of loading.values()) reject(error('none'));
    loading.clear();
    if (current.size === 0) events.onStrayCrash(error('none'));
    for (const { requestId, finish } of [...current.values()]) {
      finish({ ok: false, error: error(requestId) });
    }
    end();
  };

  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'ready':
        loading.get(message.containerId)?.resolve();
        loading.delete(message.containerId);
        return;
      case 'init-error':
        containers.delete(message.containerId);
        loading.get(message.containerId)?.reject(fromWire(message.error));
        loading.delete(message.containerId);
        return;
      case 'result':
      case 'error': {
        const containerId = containerOf.get(message.requestId);
        const invocation = containerId === undefined ? undefined : current.get(containerId);
        if (invocation?.requestId !== message.requestId) return;
        invocation.finish(
          message.type === 'result'
            ? { ok: true, result: message.result }
            : { ok: false, error: fromWire(message.error) },
        );
        return;
      }
      case 'crash':
      case 'exit': {
        const error =
          message.type === 'crash'
            ? () => fromWire(message.error)
            : (requestId: string) => exitError(requestId, message.code);
        if (message.containerId === undefined) failAll(error);
        else killContainer(message.containerId, error);
        return;
      }
    }
  });
  worker.on('error', (error) => failAll(() => error));
  worker.on('exit', (code) => {
    // The thread ended on its own (its module called `process.exit` while loading, say).
    if (!ended) failAll((requestId) => exitError(requestId, code));
  });

  const self: PoolWorker = {
    id,
    containers,
    get running() {
      return current.size;
    },
    get lastActiveAt() {
      return lastActiveAt;
    },
    get retired() {
      return retired;
    },
    create: (containerId) =>
      new Promise<void>((resolve, reject) => {
        if (retired) {
          reject(new Error('this worker is retired'));
          return;
        }
        containers.add(containerId);
        loading.set(containerId, { resolve, reject });
        const message: ToWorker = { type: 'create', containerId };
        worker.postMessage(message);
      }),
    run: (containerId, event, timeoutMs) => {
      const requestId = randomUUID();
      const began = performance.now();
      lastActiveAt = Date.now();
      return new Promise<Ran>((resolve) => {
        const timer = setTimeout(() => {
          // Lambda stops the runtime of a timed-out invocation: its container is thrown away.
          killContainer(containerId, () => timeoutError(timeoutMs));
        }, timeoutMs);
        current.set(containerId, {
          requestId,
          finish: (outcome) => {
            clearTimeout(timer);
            current.delete(containerId);
            containerOf.delete(requestId);
            lastActiveAt = Date.now();
            resolve({ requestId, outcome, durationMs: performance.now() - began });
            endIfDone();
          },
        });
        containerOf.set(requestId, containerId);
        const message: ToWorker = {
          type: 'invoke',
          containerId,
          requestId,
          event: JSON.stringify(event) ?? 'null',
          deadline: Date.now() + timeoutMs,
        };
        worker.postMessage(message);
      });
    },
    retire: () => {
      retired = true;
      endIfDone();
    },
    terminate: end,
  };
  return self;
};

const fromWire = (wire: WireError) => {
  const error = new Error(wire.message);
  error.name = wire.name;
  error.stack = wire.stack || `${wire.name}: ${wire.message}`;
  return error;
};
