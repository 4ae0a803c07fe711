import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { requests } from './crowd/main.js';

type Requests = typeof requests;
type Kind = keyof Requests;

/** What a request of the crowd takes, and what it answers (see crowd/main.ts). */
export type CrowdParams<K extends Kind> = Parameters<Requests[K]>[0];
export type CrowdAnswer<K extends Kind> = Awaited<ReturnType<Requests[K]>>;

/** One request or answer on the IPC channel. */
export type Envelope =
  | { id: number; kind: Kind; params: unknown }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

/** The bench's handle on the crowd process. */
export interface Crowd {
  ask<K extends Kind>(kind: K, ...params: Parameters<Requests[K]>): Promise<CrowdAnswer<K>>;
  stop(): void;
}

/**
 * Forks the crowd (bench/e2e/crowd/main.ts) with this process's TypeScript loader, so the
 * clients run on their own event loop, as real clients would.
 */
export const startCrowd = (): Crowd => {
  const child = fork(fileURLToPath(new URL('./crowd/main.ts', import.meta.url)), {
    execArgv: process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof')),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, PromiseWithResolvers<unknown>>();
  let next = 0;
  child.on('message', (envelope: Envelope) => {
    if ('kind' in envelope) return;
    const waiter = pending.get(envelope.id);
    pending.delete(envelope.id);
    if (envelope.ok) waiter?.resolve(envelope.result);
    else waiter?.reject(new Error(`crowd: ${envelope.error}`));
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`crowd exited (${code})`));
    pending.clear();
  });
  return {
    ask: (kind, ...[params]) => {
      const id = next++;
      const waiter = Promise.withResolvers<unknown>();
      pending.set(id, waiter);
      child.send({ id, kind, params } satisfies Envelope);
      return waiter.promise as never;
    },
    stop: () => child.disconnect(),
  };
};
