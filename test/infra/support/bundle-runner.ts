import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Imports the bundle once, like a Lambda container, and runs each event it is sent over IPC. */
const CONTAINER = `
const { handler } = await import(process.env.BUNDLE_URL);
process.on('message', async ({ id, event }) => {
  const context = {
    awsRequestId: crypto.randomUUID(),
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    getRemainingTimeInMillis: () => 28000,
    callbackWaitsForEmptyEventLoop: true,
  };
  try {
    process.send({ id, result: (await handler(event, context)) ?? null });
  } catch (error) {
    process.send({ id, error: String(error) });
  }
});
process.send({ ready: true });
`;

interface Reply {
  id?: number;
  result?: unknown;
  error?: string;
  ready?: boolean;
}

/** The bundled handler (`<dir>/index.mjs`) running in a separate Node.js process. */
export const startBundle = async (dir: string, env: Record<string, string>) => {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', CONTAINER], {
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      BUNDLE_URL: pathToFileURL(join(dir, 'index.mjs')).href,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (reply: Reply) => void>();
  child.on('message', (reply: Reply) => pending.get(reply.id ?? -1)?.(reply));
  const [first] = (await once(child, 'message')) as [Reply];
  if (!first.ready) throw new Error('the bundle did not load');
  let nextId = 0;
  return {
    invoke: (event: unknown) =>
      new Promise<unknown>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, (reply) => {
          pending.delete(id);
          if (reply.error) reject(new Error(reply.error));
          else resolve(reply.result);
        });
        child.send({ id, event });
      }),
    stop: () => child.kill(),
  };
};
