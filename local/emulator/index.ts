import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { GATEWAY_INTEGRATION_TIMEOUT_MS } from '../../src/protocol/limits.js';
import { createCallerGuard } from './caller-guard.js';
import { refuse } from './connect-response.js';
import type { Registry } from './connections.js';
import { createConnectionsApi } from './connections-api.js';
import { startContainerRuntime } from './containers.js';
import { createDashboard, DASHBOARD_PATH } from './dashboard.js';
import { tapStdout } from './dashboard-tap.js';
import { setHandlerEnv } from './env.js';
import { createGateway } from './gateway.js';
import { createHostGuard } from './host-guard.js';
import { createRequestListener } from './http-routes.js';
import { apiId } from './ids.js';
import { createInProcessRuntime, type Handler, type Runtime, type RuntimeStats } from './invoke.js';
import { createLambdaApi } from './lambda-api.js';
import { loadHandler } from './load-handler.js';
import { createLog, type Log } from './log.js';
import { DEFAULT_ROUTE_KEYS } from './routes.js';
import { answerWhileStarting } from './starting.js';
import { createStaticFiles } from './static.js';

export { POOL_DEFAULTS } from './containers.js';
export { DASHBOARD_PATH } from './dashboard.js';
export type { Handler, RuntimeStats } from './invoke.js';

/** How to run the emulator; only the handler is required. */
export interface EmulatorOptions {
  /** A function, or `path/to/module.ts#exportName` (export `handler` when omitted). */
  handler: Handler | string;
  /** Default 3001; 0 picks a free port. */
  port?: number;
  /**
   * Default `127.0.0.1`. Whatever it is, Invoke and `@connections` answer this machine only (see
   * `caller-guard.ts`); `0.0.0.0` opens the page and the WebSocket to the network.
   */
  host?: string;
  /**
   * `Host` names (or `name:port`) answered besides 127.0.0.1, localhost and [::1], and `host`
   * itself; anything else is refused (DNS rebinding). Needed when binding `0.0.0.0` on purpose.
   */
  allowedHosts?: readonly string[];
  /** `requestContext.stage`, and the optional path prefix; default `local`. */
  stage?: string;
  /** `AWS_LAMBDA_FUNCTION_NAME`, and the function the Invoke endpoint knows; default `chat-local`. */
  functionName?: string;
  /**
   * A message review function (`path/to/module.ts#exportName`, export `handler` when omitted, or
   * a function), run as a Lambda function of its own named `chat-review`: the Invoke endpoint
   * answers for it (in this process, whatever `runtime` is) and the handler gets
   * `REVIEW_FUNCTION=chat-review`. Without it the handler gets no `REVIEW_FUNCTION`.
   */
  review?: Handler | string;
  /** The function timeout; default 29 000 (API Gateway's integration timeout). */
  timeoutMs?: number;
  /** Default 600 000 (10 min). */
  idleTimeoutMs?: number;
  /** Default 7 200 000 (2 h). */
  maxConnectionMs?: number;
  /** Route keys a message's `action` can select; default `sendmessage`, `history`. */
  routeKeys?: readonly string[];
  /**
   * Extra environment for the handler (e.g. `TABLE_NAME`, `AWS_ENDPOINT_URL_DYNAMODB`), or a
   * function of the site (its page origins, known once the port is) that returns it.
   */
  env?: Record<string, string> | ((site: { origins: string[] }) => Record<string, string>);
  /** The browser client's page; default the repository's `client.html`. */
  clientPage?: string;
  /** No request logging (handler errors are still logged). */
  quiet?: boolean;
  /**
   * Where the handler runs. `containers` (the default for a module spec): each concurrent
   * invocation in a worker thread of its own, reused warm, as Lambda does. `in-process`: on the
   * emulator's event loop, as one shared container (always so for a handler given as a function;
   * handy for a debugger).
   */
  runtime?: 'containers' | 'in-process';
  /**
   * Invocations running at once (the function's reserved concurrency); default 100. Past it a
   * sync invocation is throttled; one that only waits for the machine's pool is not.
   */
  concurrency?: number;
  /** Containers started warm before the emulator serves (provisioned concurrency); default 1. */
  provisioned?: number;
  /** Worker threads hosting the containers; default the machine's cores. */
  workers?: number;
  /** Containers one worker thread hosts at most; default 8. */
  containersPerWorker?: number;
  /** A worker idle this long is ended, with its containers; default 30 000. */
  containerIdleMs?: number;
  /** Invocations that may wait for a container before a sync one is throttled; default 1 000. */
  backlog?: number;
  /** Invocations for one connection's frames running at once (the rest wait); default 2. */
  perConnection?: number;
}

/** A started emulator: its URLs, and `stop()`, which closes every connection first. */
export interface RunningEmulator {
  httpUrl: string;
  wsUrl: string;
  /** The live dashboard of the handler's metrics (its EMF lines on stdout). */
  dashboardUrl: string;
  /** Counts of containers created, cold starts and throttles, for tests and benches. */
  runtime: { stats(): RuntimeStats };
  stop(): Promise<void>;
}

/**
 * Starts the API Gateway WebSocket emulator on one HTTP port: the WebSocket endpoint, the
 * `@connections` API, Lambda's `Invoke` for the handler, the browser client, and `/dashboard`,
 * live charts of the metrics the handler writes to stdout. The handler runs in containers (worker
 * threads) or in this process; the environment it needs is set before it is loaded. One per
 * process.
 */
export const start = async (options: EmulatorOptions): Promise<RunningEmulator> => {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  const ready = answerWhileStarting(server);
  server.listen(options.port ?? 3001, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const urlHost = ['0.0.0.0', '::'].includes(host)
    ? '127.0.0.1'
    : host.includes(':')
      ? `[${host}]`
      : host;
  const httpUrl = `http://${urlHost}:${port}`;
  const wsUrl = `ws://${urlHost}:${port}`;
  const functionName = options.functionName ?? 'chat-local';
  const hostGuard = createHostGuard([
    ...(options.allowedHosts ?? []),
    ...(['0.0.0.0', '::'].includes(host) ? [] : [urlHost]),
  ]);
  const env = options.env ?? {};
  const site = { origins: hostGuard.origins(port) };
  const reviewName = options.review === undefined ? undefined : REVIEW_FUNCTION_NAME;
  setHandlerEnv(
    httpUrl,
    { handler: functionName, review: reviewName },
    typeof env === 'function' ? env(site) : env,
  );

  const log = createLog(options.quiet ?? false);
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const dashboard = createDashboard();
  let untap: (() => void) | undefined;
  let runtime: Runtime;
  let reviewRuntime: Runtime | undefined;
  try {
    // The review function first: a bad `path#export` fails before any container starts.
    reviewRuntime =
      options.review === undefined
        ? undefined
        : createInProcessRuntime(await loadHandler(options.review), {
            functionName: REVIEW_FUNCTION_NAME,
            region,
            timeoutMs: REVIEW_FUNCTION_TIMEOUT_MS,
          });
    runtime = await createRuntime(options, {
      functionName,
      region,
      timeoutMs: options.timeoutMs ?? GATEWAY_INTEGRATION_TIMEOUT_MS,
      log,
      onStdoutLine: dashboard.read,
    });
    // An in-process handler writes to this process's stdout: the dashboard reads it there.
    if (runtime.stats().mode === 'in-process') untap = tapStdout(dashboard.read);
  } catch (error) {
    server.close();
    throw error;
  }
  const registry: Registry = new Map();
  const stage = options.stage ?? 'local';
  const gateway = createGateway({
    stage,
    apiId: apiId(),
    routeKeys: new Set(options.routeKeys ?? DEFAULT_ROUTE_KEYS),
    idleTimeoutMs: options.idleTimeoutMs ?? 600_000,
    maxConnectionMs: options.maxConnectionMs ?? 7_200_000,
    runtime,
    registry,
    log,
  });
  const connectionsApi = createConnectionsApi(registry, log);
  const functions = new Map([[functionName, runtime]]);
  if (reviewName && reviewRuntime) functions.set(reviewName, reviewRuntime);
  const lambdaApi = createLambdaApi({ functions, region, log });
  const staticFiles = createStaticFiles(
    options.clientPage ?? fileURLToPath(new URL('../../client.html', import.meta.url)),
    () => wsUrl,
  );
  ready();
  server.on(
    'request',
    createRequestListener({
      stage,
      connectionsApi,
      lambdaApi,
      staticFiles,
      dashboard: dashboard.serve,
      hostGuard,
      callerGuard: createCallerGuard(host),
      log,
    }),
  );
  server.on('upgrade', (req, socket, head) => {
    const misdirected = hostGuard.refusal(req.headers.host);
    if (misdirected) {
      socket.on('error', () => undefined);
      return refuse(socket, { status: 421, body: misdirected, headers: [] });
    }
    gateway.handleUpgrade(req, socket, head);
  });

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    // Connections close first ($disconnect runs), then in-flight invocations finish, then the port.
    await gateway.stop();
    await runtime.drain();
    await reviewRuntime?.drain();
    await runtime.stop();
    untap?.();
    const closed = once(server, 'close');
    server.close();
    server.closeAllConnections();
    await closed;
  };
  return {
    httpUrl,
    wsUrl,
    dashboardUrl: `${httpUrl}${DASHBOARD_PATH}`,
    runtime: { stats: () => runtime.stats() },
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
};

/** The review function's name (`review`), and its timeout: a new Lambda function's default. */
export const REVIEW_FUNCTION_NAME = 'chat-review';
const REVIEW_FUNCTION_TIMEOUT_MS = 3_000;

/** The runtime the options ask for: containers for a module spec unless told `in-process`. */
const createRuntime = async (
  options: EmulatorOptions,
  config: {
    functionName: string;
    region: string;
    timeoutMs: number;
    log: Log;
    onStdoutLine: (line: string) => void;
  },
): Promise<Runtime> => {
  const { handler, runtime = typeof handler === 'function' ? 'in-process' : 'containers' } =
    options;
  if (runtime !== 'containers' && runtime !== 'in-process') {
    throw new Error(`runtime must be "containers" or "in-process", not ${String(runtime)}`);
  }
  if (runtime === 'in-process' || typeof handler === 'function') {
    if (runtime === 'containers') {
      throw new Error(
        'A handler given as a function runs in-process; pass path#export for containers',
      );
    }
    return createInProcessRuntime(await loadHandler(handler), config);
  }
  return startContainerRuntime({
    ...config,
    spec: handler,
    concurrency: options.concurrency ?? 100,
    ...defined({
      provisioned: options.provisioned,
      workers: options.workers,
      containersPerWorker: options.containersPerWorker,
      idleMs: options.containerIdleMs,
      backlog: options.backlog,
      perConnection: options.perConnection,
    }),
  });
};

/** `values` without its undefined entries (the options are `exactOptionalPropertyTypes`). */
const defined = <T extends Record<string, number | undefined>>(values: T) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
