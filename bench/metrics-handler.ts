/**
 * The real handler in this process with metrics on and off: sendmessage after sendmessage into
 * rooms of 100 (DynamoDB Local; `@connections` posts answered 200 by a child process, so that
 * this process's clock holds the handler's work and not the answering). Part of
 * bench/metrics-cost.ts.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createTable, localAwsConfig, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { createContext } from '../local/emulator/context.js';
import { connectionFacts, messageEvent } from '../local/emulator/events.js';
import { createDeps } from '../src/deps.js';
import { createHandler } from '../src/router/create-handler.js';
import type { Store } from '../src/store/index.js';
import { LIFTED_LIMITS } from './e2e/servers.js';
import { MEMBERS } from './metrics-recorder.js';
import { median, ratio, round } from './stats.js';

/**
 * Rooms the messages go round: batched delivery is on (as deployed), and a room's next message
 * comes well after its window, so each is delivered at once, as in a quiet room, not batched.
 */
const ROOMS = 4;

/** A local `@connections` in a child process: answers every post 200, and `GET /posts` its count. */
const SINK = `
  const { createServer } = require('node:http');
  let posts = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET') return res.end(String(posts));
      posts++;
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    });
  });
  server.keepAliveTimeout = 30000;
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
  // Its stdin is a pipe only the bench holds: it closes when the bench ends, however it ends.
  process.stdin.on('end', () => process.exit(0)).resume();`;

const startSinkChild = async () => {
  const child = spawn(process.execPath, ['-e', SINK], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [port] = (await once(child.stdout, 'data')) as [Buffer];
  const url = `http://127.0.0.1:${String(port).trim()}`;
  return {
    url,
    posts: async () => Number(await (await fetch(`${url}/posts`)).text()),
    stop: () => child.kill(),
  };
};

/**
 * Writes the log to /dev/null, a write(2) per line as stdout's would be, and counts the bytes of
 * the metrics' lines (EMF lines are the ones with `_aws`).
 */
const devNullLog = (fd: number) => {
  const totals = { bytes: 0, lines: 0 };
  /** The last two EMF lines: the last invocation's route line and stage line. */
  const last: string[] = [];
  const write = (line: string) => {
    writeSync(fd, line);
    if (line.startsWith('{"_aws"')) {
      totals.bytes += Buffer.byteLength(line);
      totals.lines++;
      last.push(line);
      if (last.length > 2) last.shift();
    }
  };
  return { write, totals, last };
};

/** The metrics in EMF lines, each with its value (a number, or an array of samples). */
const metricValues = (lines: string[]) =>
  Object.fromEntries(
    lines.flatMap((line) => {
      const emf = JSON.parse(line) as Record<string, unknown> & {
        _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
      };
      return emf._aws.CloudWatchMetrics.flatMap(({ Metrics }) =>
        Metrics.map(({ Name }) => [Name, emf[Name]]),
      );
    }),
  );

/**
 * The mean of `values` and the half-width of its 95 % confidence interval (normal approximation):
 * how finely the pairs can tell on from off at all.
 */
const meanWithin95 = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, halfWidth: 1.96 * Math.sqrt(variance / values.length) };
};

/** Sets `values` in this process's environment; returns what puts the previous ones back. */
const setEnv = (values: Record<string, string>) => {
  const before = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
};

interface Variant {
  metrics: 'on' | 'off';
  handler: ReturnType<typeof createHandler>;
  store: Store;
  log: ReturnType<typeof devNullLog>;
  blocks: { cpuUs: number; wallMs: number }[];
  invocations: number;
  posts: number;
  /** EMF lines and their bytes written in the measured blocks. */
  emf: { lines: number; bytes: number };
}

export const benchHandler = async ({ quick = false } = {}) => {
  const blockSize = quick ? 8 : 15;
  const rounds = quick ? 4 : 24;
  const warmUp = quick ? 16 : 100;
  const dynamo = await startDynamoDbLocal();
  // What a container's SDK clients read from the environment (the deps' DynamoDB clients, with
  // their throttle and condition counters, are the real ones); put back afterwards.
  const restoreEnv = setEnv({
    AWS_LAMBDA_LOG_LEVEL: 'error',
    AWS_REGION: localAwsConfig.region,
    AWS_ACCESS_KEY_ID: localAwsConfig.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localAwsConfig.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  });
  const devNull = openSync('/dev/null', 'w');
  let sink: Awaited<ReturnType<typeof startSinkChild>> | undefined;
  const tableName = 'bench-metrics-cost';
  try {
    sink = await startSinkChild();
    await createTable(dynamo.endpoint, tableName);
    const env = {
      ...process.env,
      ...LIFTED_LIMITS,
      TABLE_NAME: tableName,
      CALLBACK_URL: sink.url,
      AWS_LAMBDA_FUNCTION_NAME: 'bench-metrics-cost',
      STAGE: 'bench',
    };
    // Two containers' deps, as Lambda makes them, but for METRICS; each its own SDK clients.
    const variants: Variant[] = (['on', 'off'] as const).map((metrics) => {
      const log = devNullLog(devNull);
      const deps = { ...createDeps({ ...env, METRICS: metrics }), logTo: log.write };
      return {
        metrics,
        handler: createHandler(() => deps),
        store: deps.store,
        log,
        blocks: [],
        invocations: 0,
        posts: 0,
        emf: { lines: 0, bytes: 0 },
      };
    });
    const { store } = variants[0] as Variant;
    for (let room = 0; room < ROOMS; room++) {
      await Promise.all(
        Array.from({ length: MEMBERS }, (_, member) =>
          store.saveConnection({
            connectionId: `r${room}-m${member}`,
            room: `room-${room}`,
            name: `m${member}`,
            connectedAt: Date.now(),
          }),
        ),
      );
    }
    let sent = 0;
    /** `count` sendmessages one after another, round the rooms, each from another member. */
    const send = async (variant: Variant, count: number) => {
      for (let i = 0; i < count; i++, sent++) {
        const sender = `r${sent % ROOMS}-m${Math.floor(sent / ROOMS) % MEMBERS}`;
        const body = JSON.stringify({ action: 'sendmessage', message: `hello ${sent}` });
        const context = createContext({
          functionName: 'bench-metrics-cost',
          region: localAwsConfig.region,
          awsRequestId: `req-${sent}`,
          deadline: Date.now() + 28_000,
        });
        await variant.handler(messageEvent(connectionFacts(sender), body), context);
      }
    };
    // Warms the JIT, the SDK's sockets and DynamoDB Local's JVM for both.
    for (const variant of variants) await send(variant, warmUp);
    for (let r = 0; r < rounds; r++) {
      for (let v = 0; v < variants.length; v++) {
        // Alternating blocks, each round led by the other variant.
        const variant = variants[(r + v) % variants.length] as Variant;
        const { bytes, lines } = variant.log.totals;
        const postsBefore = await sink.posts();
        const cpu = process.cpuUsage();
        const started = performance.now();
        await send(variant, blockSize);
        const used = process.cpuUsage(cpu);
        variant.blocks.push({
          cpuUs: (used.user + used.system) / blockSize,
          wallMs: (performance.now() - started) / blockSize,
        });
        variant.invocations += blockSize;
        variant.posts += (await sink.posts()) - postsBefore;
        variant.emf.lines += variant.log.totals.lines - lines;
        variant.emf.bytes += variant.log.totals.bytes - bytes;
      }
    }
    const row = (variant: Variant) => ({
      metrics: variant.metrics,
      invocations: variant.invocations,
      'CPU µs/inv (median)': round(median(variant.blocks.map((block) => block.cpuUs)), 0),
      'CPU µs/inv (min)': round(Math.min(...variant.blocks.map((block) => block.cpuUs)), 0),
      'wall ms/inv (median)': round(median(variant.blocks.map((block) => block.wallMs)), 2),
      'posts/inv': round(variant.posts / variant.invocations, 1),
      'EMF lines/inv': round(variant.emf.lines / variant.invocations, 2),
      'EMF bytes/inv': round(variant.emf.bytes / variant.invocations, 0),
    });
    const [on, off] = variants.map(row) as [ReturnType<typeof row>, ReturnType<typeof row>];
    // On's block minus off's in the same round: the machine's drift cancels out of each pair.
    const paired = (variants[0]?.blocks ?? []).map(
      (block, r) => block.cpuUs - (variants[1]?.blocks[r]?.cpuUs ?? Number.NaN),
    );
    const { mean, halfWidth } = meanWithin95(paired);
    return {
      rows: [on, off],
      'ratio on/off': ratio(on['CPU µs/inv (median)'], off['CPU µs/inv (median)']),
      'on − off µs/inv (paired, median)': round(median(paired), 0),
      'on − off µs/inv (paired, mean)': round(mean, 0),
      'on − off µs/inv (paired, 95 % interval ±)': round(halfWidth, 0),
      blockSize,
      rounds,
      warmUp,
      // What the real handler wrote for its last message, beside what metrics-recorder.ts records.
      metrics: metricValues(variants[0]?.log.last ?? []),
    };
  } finally {
    restoreEnv();
    closeSync(devNull);
    sink?.stop();
    await dynamo.stop();
  }
};
