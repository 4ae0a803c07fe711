import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Bundle } from './bundle.js';
import type { ContainerData, ToContainer, ToParent, WireError } from './container-messages.js';
import type { Outcome } from './invoke.js';
import { exitError, timeoutError } from './runtime-errors.js';

/** One invocation's end, with the request id the container gave it. */
export interface Ran {
  requestId: string;
  outcome: Outcome;
  durationMs: number;
}

/**
 * One Lambda-like container: a worker thread with its own module state and SDK clients that runs
 * one invocation at a time. A crash, an exit or a timeout fails the invocation in flight and ends
 * the container for good (`dead`); the runtime then makes a fresh one.
 */
export interface Container {
  /** Resolves once the handler module has loaded (the cold start); rejects if it cannot. */
  ready: Promise<void>;
  readonly dead: boolean;
  run(event: unknown, timeoutMs: number): Promise<Ran>;
  terminate(): void;
}

/** Starts a container; `onStrayCrash` hears of a crash while no invocation was running. */
export const startContainer = (
  bundle: Bundle,
  data: Omit<ContainerData, 'bundleUrl'>,
  onStrayCrash: (error: Error) => void,
  onDeath: () => void,
): Container => {
  const workerData: ContainerData = { ...data, bundleUrl: bundle.handlerUrl };
  // Lambda's node runs the bundle with no flags: a worker would otherwise inherit the emulator's
  // own (tsx's loader hooks, which every cold start then ran over the bundle: ~270 ms, not ~115).
  const worker = new Worker(bundle.workerPath, { workerData, execArgv: [] });
  // An idle container must not keep the emulator's process alive.
  worker.unref();
  let dead = false;
  let current: { requestId: string; finish: (outcome: Outcome) => void } | undefined;
  let loaded: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    loaded = { resolve, reject };
  });
  // Nobody may await `ready` after a crash; it must not become an unhandled rejection.
  ready.catch(() => undefined);

  const die = () => {
    if (dead) return;
    dead = true;
    void worker.terminate();
    onDeath();
  };
  const fail = (error: Error) => {
    if (loaded) loaded.reject(error);
    else if (current) current.finish({ ok: false, error });
    else onStrayCrash(error);
    loaded = undefined;
    die();
  };

  worker.on('message', (message: ToParent) => {
    if (message.type === 'ready') {
      loaded?.resolve();
      loaded = undefined;
    } else if (message.type === 'init-error' || message.type === 'crash') {
      fail(fromWire(message.error));
    } else if (current?.requestId === message.requestId) {
      current.finish(
        message.type === 'result'
          ? { ok: true, result: message.result }
          : { ok: false, error: fromWire(message.error) },
      );
    }
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => {
    if (dead) return;
    // The handler called `process.exit` (or the thread ended on its own).
    fail(exitError(current?.requestId ?? 'none', code));
  });

  return {
    ready,
    get dead() {
      return dead;
    },
    run: (event, timeoutMs) => {
      const requestId = randomUUID();
      const began = performance.now();
      return new Promise<Ran>((resolve) => {
        const timer = setTimeout(() => {
          // Lambda stops the runtime of a timed-out invocation: nothing of it runs on.
          current?.finish({ ok: false, error: timeoutError(timeoutMs) });
          die();
        }, timeoutMs);
        current = {
          requestId,
          finish: (outcome) => {
            clearTimeout(timer);
            current = undefined;
            resolve({ requestId, outcome, durationMs: performance.now() - began });
          },
        };
        const message: ToContainer = {
          requestId,
          event: JSON.stringify(event) ?? 'null',
          deadline: Date.now() + timeoutMs,
        };
        worker.postMessage(message);
      });
    },
    terminate: die,
  };
};

const fromWire = (wire: WireError) => {
  const error = new Error(wire.message);
  error.name = wire.name;
  error.stack = wire.stack || `${wire.name}: ${wire.message}`;
  return error;
};
