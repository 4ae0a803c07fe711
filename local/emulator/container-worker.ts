/**
 * The code a pool worker runs (a worker thread, bundled by `bundle.ts`). It hosts containers:
 * each is a fresh instance of the handler's bundled module (its own module state and SDK clients;
 * loading it is the cold start) that runs one invocation at a time, building the event and context
 * here, as the Lambda runtime does inside its sandbox. Many containers share the thread's event
 * loop, so their waits on DynamoDB and HTTP overlap, as they would on Lambda, without a thread
 * and a cold isolate each. Source maps stay off, as deployed (infra/function.ts): the handler maps
 * the stacks it logs itself, when it logs one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { ContainerData, FromWorker, ToWorker } from './container-messages.js';
import { createContext, roundTrip } from './context.js';
import type { Handler } from './invoke.js';
import { pickExport } from './load-handler.js';

const port = parentPort;
if (!port) throw new Error('container-worker runs only as a worker thread');
const data = workerData as ContainerData;
const send = (message: FromWorker) => port.postMessage(message);
const handlers = new Map<number, Handler>();
/** Which container and invocation the code running now belongs to, across its awaits and timers. */
const running = new AsyncLocalStorage<{ containerId: number; requestId: string }>();

const asError = (error: unknown) =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack ?? '' }
    : { name: 'Error', message: String(error), stack: '' };

// What the Lambda Node.js runtime does with errors no invocation awaited: it fails the invocation
// in flight and the runtime exits. Here the invocation they came from fails, and the parent throws
// its container away and retires this thread.
process.on('unhandledRejection', (reason) => {
  send({
    type: 'crash',
    ...running.getStore(),
    error: {
      name: 'Runtime.UnhandledPromiseRejection',
      message: reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason),
      stack: reason instanceof Error ? (reason.stack ?? '') : '',
    },
  });
});
process.on('uncaughtException', (error) =>
  send({ type: 'crash', ...running.getStore(), error: asError(error) }),
);

/** Thrown out of a handler's `process.exit`, so that nothing after it runs. */
class ExitSignal extends Error {}

// A handler's `process.exit` ends its own container, not the thread the others share.
const exitThread = process.exit.bind(process);
process.exit = ((code?: number | string | null) => {
  const owner = running.getStore();
  if (!owner) return exitThread(code ?? undefined);
  send({ type: 'exit', ...owner, code: Number(code ?? process.exitCode ?? 0) || 0 });
  throw new ExitSignal(`process.exit(${code ?? ''})`);
}) as typeof process.exit;

const create = async (containerId: number) => {
  try {
    const module = (await import(`${data.bundleUrl}?container=${containerId}`)) as Record<
      string,
      unknown
    >;
    handlers.set(containerId, pickExport(module, data.file, data.exportName));
    send({ type: 'ready', containerId });
  } catch (error) {
    send({ type: 'init-error', containerId, error: asError(error) });
  }
};

const invoke = async (message: Extract<ToWorker, { type: 'invoke' }>) => {
  const { containerId, requestId } = message;
  const handler = handlers.get(containerId);
  const context = createContext({
    functionName: data.functionName,
    region: data.region,
    awsRequestId: requestId,
    deadline: message.deadline,
  });
  await running.run({ containerId, requestId }, async () => {
    try {
      if (!handler) throw new Error(`no container ${containerId} in this worker`);
      const result = await handler(JSON.parse(message.event), context);
      send({ type: 'result', requestId, result: roundTrip(result) });
    } catch (error) {
      // Its `exit` has been reported; the container is being thrown away.
      if (error instanceof ExitSignal) return;
      send({ type: 'error', requestId, error: asError(error) });
    }
  });
};

port.on('message', (message: ToWorker) => {
  if (message.type === 'create') void create(message.containerId);
  else void invoke(message);
});
