import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CrowdRequest, CrowdResults, Envelope } from './crowd/protocol.js';

type Params<T extends CrowdRequest['type']> = Omit<Extract<CrowdRequest, { type: T }>, 'type'>;

/** The bench's handle on the crowd process: one method per request type. */
export interface Crowd {
  join(params: Params<'join'>): Promise<CrowdResults['join']>;
  fanout(params: Params<'fanout'>): Promise<CrowdResults['fanout']>;
  throughput(params: Params<'throughput'>): Promise<CrowdResults['throughput']>;
  burst(params: Params<'burst'>): Promise<CrowdResults['burst']>;
  replay(params: Params<'replay'>): Promise<CrowdResults['replay']>;
  flood(params: Params<'flood'>): Promise<CrowdResults['flood']>;
  close(params: Params<'close'>): Promise<CrowdResults['close']>;
  strays(): Promise<CrowdResults['strays']>;
  stop(): void;
}

/**
 * Forks the crowd (bench/e2e/crowd/main.ts) with this process's TypeScript loader, so the
 * clients run on their own event loop, as real clients would.
 */
export const startCrowd = (): Crowd => {
  const child: ChildProcess = fork(fileURLToPath(new URL('./crowd/main.ts', import.meta.url)), {
    execArgv: process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof')),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (e: Error) => void }
  >();
  let next = 0;
  child.on('message', (envelope: Envelope) => {
    if ('request' in envelope) return;
    const waiter = pending.get(envelope.id);
    pending.delete(envelope.id);
    if (envelope.ok) waiter?.resolve(envelope.result);
    else waiter?.reject(new Error(`crowd: ${envelope.error}`));
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`crowd exited (${code})`));
    pending.clear();
  });
  const call = <T extends CrowdRequest['type']>(type: T, params: object) =>
    new Promise<CrowdResults[T]>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, request: { type, ...params } } as Envelope);
    });
  return {
    join: (params) => call('join', params),
    fanout: (params) => call('fanout', params),
    throughput: (params) => call('throughput', params),
    burst: (params) => call('burst', params),
    replay: (params) => call('replay', params),
    flood: (params) => call('flood', params),
    close: (params) => call('close', params),
    strays: () => call('strays', {}),
    stop: () => {
      child.disconnect();
    },
  };
};
