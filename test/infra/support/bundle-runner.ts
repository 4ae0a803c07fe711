import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createContext } from '../../../local/emulator/context.js';

/** Imports the bundle once, like a Lambda container, and runs each event it is sent over IPC. */
const CONTAINER = `
const { handler } = await import(process.env.BUNDLE_URL);
process.on('message', async ({ id, event, context, deadline }) => {
  // The context came over IPC as JSON: its methods are put back here.
  const remaining = () => Math.max(0, deadline - Date.now());
  try {
    process.send({ id, result: (await handler(event, { ...context, getRemainingTimeInMillis: remaining })) ?? null });
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

/** The bundled handler (`<dir>/index.mjs`) running in a separate Node.js process, its log lines kept. */
export const startBundle = async (dir: string, env: Record<string, string>) => {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', CONTAINER], {
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      BUNDLE_URL: pathToFileURL(join(dir, 'index.mjs')).href,
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  // What the function writes to stdout: its JSON log lines.
  const logs: string[] = [];
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    logs.push(...lines.filter(Boolean));
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
        const deadline = Date.now() + 28_000;
        const functionName = env.AWS_LAMBDA_FUNCTION_NAME ?? 'chat';
        const awsRequestId = randomUUID();
        const context = createContext({
          functionName,
          region: 'us-east-1',
          awsRequestId,
          deadline,
        });
        child.send({ id, event, context, deadline });
      }),
    logs,
    stop: () => child.kill(),
  };
};
