/**
 * The code a container runs (a worker thread, bundled by `bundle.ts`): loads the handler bundle
 * once (the cold start), then runs one invocation at a time as the parent sends them, building
 * the event and context here, as the Lambda runtime does inside its sandbox. Source maps stay off,
 * as deployed (infra/function.ts): the handler maps the stacks it logs itself, when it logs one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ContainerData, ToContainer, ToParent } from './container-messages.js';
import { createContext, roundTrip } from './context.js';
import { pickExport } from './load-handler.js';

const port = parentPort;
if (!port) throw new Error('container-worker runs only as a worker thread');
const data = workerData as ContainerData;
const send = (message: ToParent) => port.postMessage(message);

const asError = (error: unknown) =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack ?? '' }
    : { name: 'Error', message: String(error), stack: '' };

// What the Lambda Node.js runtime does with errors no invocation awaited: it fails the invocation
// in flight and the runtime exits; the parent throws this container away.
process.on('unhandledRejection', (reason) => {
  send({
    type: 'crash',
    error: {
      name: 'Runtime.UnhandledPromiseRejection',
      message: reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason),
      stack: reason instanceof Error ? (reason.stack ?? '') : '',
    },
  });
});
process.on('uncaughtException', (error) => send({ type: 'crash', error: asError(error) }));

try {
  const module = (await import(data.bundleUrl)) as Record<string, unknown>;
  const handler = pickExport(module, data.file, data.exportName);
  send({ type: 'ready' });
  port.on('message', async (message: ToContainer) => {
    const context = createContext({
      functionName: data.functionName,
      region: data.region,
      awsRequestId: message.requestId,
      deadline: message.deadline,
    });
    try {
      const result = await handler(JSON.parse(message.event), context);
      send({ type: 'result', requestId: message.requestId, result: roundTrip(result) });
    } catch (error) {
      send({ type: 'error', requestId: message.requestId, error: asError(error) });
    }
  });
} catch (error) {
  send({ type: 'init-error', error: asError(error) });
}
