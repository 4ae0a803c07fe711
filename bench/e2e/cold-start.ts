import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { createContext } from '../../local/emulator/context.js';
import { connectionFacts, messageEvent } from '../../local/emulator/events.js';
import { startSink } from '../sink.js';
import { printTable, round, summarize } from '../stats.js';

/** As infra/function.ts bundles it: ESM that still lets CommonJS dependencies `require`. */
const BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const ENTRY = fileURLToPath(new URL('../../src/router/index.ts', import.meta.url));

/**
 * Bundles the handler exactly as infra/function.ts does (its `bundling` options, which the CDK
 * passes to esbuild as `--sourcemap --sources-content=false`: a separate `index.mjs.map` named by
 * a `sourceMappingURL` comment); returns the files and the bundle's biggest packages.
 */
const bundle = async (outdir: string) => {
  const outfile = join(outdir, 'index.mjs');
  const result = await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
  });
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(
    result.metafile.outputs[
      Object.keys(result.metafile.outputs).find((o) => o.endsWith('.mjs')) ?? ''
    ]?.inputs ?? {},
  )) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? 'src (ours)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return {
    outfile,
    mapfile: `${outfile}.map`,
    byPackage: [...byPackage].sort((a, b) => b[1] - a[1]),
  };
};

/**
 * How a fresh process treats the source map:
 * - `flag`: `NODE_OPTIONS=--enable-source-maps`, as infra/function.ts deployed it before 27 Nov;
 * - `onError`: no flag, the map beside the bundle: the error boundary maps a logged stack with it
 *   (`src/router/source-mapped-stack.ts`, reading the map on the first error), as deployed now;
 * - `noMap`: no flag and no map file: nothing is mapped, the floor.
 * (Enabling maps with `process.setSourceMapsEnabled` once the bundle is loaded maps nothing in
 * Node 24: docs/benchmarks.md#cold-start.)
 */
const VARIANTS = [
  { mode: 'flag', name: 'a. --enable-source-maps (before)' },
  { mode: 'onError', name: 'b. no flag, mapped on error (deployed)' },
  { mode: 'noMap', name: 'c. no flag, no map' },
] as const;
type Mode = (typeof VARIANTS)[number]['mode'];

interface ColdRun {
  /** From the process's start until the script runs: Node's own start-up, under the flag or not. */
  startupMs: number;
  importMs: number;
  firstInvokeMs: number;
  /** The first invocation that fails unexpectedly; the error boundary logs it with its stack. */
  firstErrorMs: number;
  /** The same failure again, in the same process. */
  nextErrorMs: number;
  /** Whether the logged stack names our sources (`src/….ts:l:c`). */
  mapped: boolean;
  /** The stack's first frame in our own code, or its first frame. */
  frame: string;
}

/**
 * A fresh Node process: imports the bundle, runs one `$default` invocation (which creates the SDK
 * clients, charges the frame to its budgets with two DynamoDB writes and posts an error frame,
 * all to the local sink at `callbackUrl`), then twice an invocation that fails inside
 * the bundle (a self-invocation payload that fails its schema: valibot throws, the error
 * boundary logs the error with its `stack`, the first access that formats it, and rethrows).
 */
const coldRun = (file: string, mode: Mode, callbackUrl: string) =>
  new Promise<ColdRun>((resolve, reject) => {
    // Built here, where the factory is; the child gets them as JSON (the context's functions aside).
    const context = createContext({
      functionName: 'bench',
      region: 'us-east-1',
      awsRequestId: 'cold',
      deadline: Date.now() + 3000,
    });
    const script = `
      const mode = ${JSON.stringify(mode)};
      const context = { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 3000 };
      const t0 = performance.now();
      const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
      const t1 = performance.now();
      await handler(${JSON.stringify(messageEvent(connectionFacts('cold'), '{"action":"nothing"}'))}, context);
      const t2 = performance.now();
      const fail = async () => {
        const start = performance.now();
        try {
          await handler({}, context);
        } catch {
          return performance.now() - start;
        }
        throw new Error('the failing invocation did not fail');
      };
      const firstErrorMs = await fail();
      const nextErrorMs = await fail();
      console.log(JSON.stringify({ startupMs: t0, importMs: t1 - t0, firstInvokeMs: t2 - t1, firstErrorMs, nextErrorMs }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH ?? '',
        ...(mode === 'flag' ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        TABLE_NAME: 'cold-start',
        CALLBACK_URL: callbackUrl,
        // The frame budgets' DynamoDB writes go to the sink too (its empty 200 admits them):
        // nothing leaves the machine.
        AWS_ENDPOINT_URL_DYNAMODB: callbackUrl,
        AWS_LAMBDA_FUNCTION_NAME: 'bench',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        // The failing invocations' `unexpected_error` lines are written, as in production.
        AWS_LAMBDA_LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`cold run (${mode}) exited with ${code}: ${out}`));
        return;
      }
      const lines = out.trim().split('\n');
      // The stack as the error boundary logged it, in its `unexpected_error` line.
      const logged = lines.find((line) => line.includes('"unexpected_error"'));
      const stack = String(logged ? (JSON.parse(logged).stack ?? '') : '');
      const frames = stack.split('\n').filter((line) => line.trimStart().startsWith('at '));
      const ours = /src\/[\w./-]+\.ts:\d+:\d+/;
      resolve({
        ...JSON.parse(lines.at(-1) ?? '{}'),
        mapped: ours.test(stack),
        frame: (frames.find((line) => ours.test(line)) ?? frames[0] ?? '').trim(),
      });
    });
  });

/**
 * Bundle and map sizes, and cold start in fresh Node processes for each way of treating the
 * source map: import, first invocation, and the first (and next) invocation that fails and logs
 * its stack. The variants alternate run by run, so the machine's other work hits them alike.
 */
export const benchColdStart = async ({ quick = false } = {}) => {
  const runs = quick ? 5 : 20;
  const outdir = await mkdtemp(join(tmpdir(), 'chat-bundle-'));
  const sink = await startSink();
  try {
    const { outfile, mapfile, byPackage } = await bundle(outdir);
    const code = await readFile(outfile);
    const map = await readFile(mapfile);
    // The same bundle in a directory of its own, without its map.
    await mkdir(join(outdir, 'bare'));
    const bare = join(outdir, 'bare', 'index.mjs');
    await copyFile(outfile, bare);
    const samples = new Map<Mode, ColdRun[]>(VARIANTS.map(({ mode }) => [mode, []]));
    for (let i = 0; i < runs; i++) {
      // Each round starts with a different variant: none always runs first or after the same one.
      for (let j = 0; j < VARIANTS.length; j++) {
        const { mode } = VARIANTS[(i + j) % VARIANTS.length] as (typeof VARIANTS)[number];
        const file = mode === 'noMap' ? bare : outfile;
        samples.get(mode)?.push(await coldRun(file, mode, sink.url));
      }
    }
    const p50 = (measured: ColdRun[], key: keyof ColdRun) =>
      summarize(measured.map((run) => run[key] as number)).p50;
    const variants = VARIANTS.map(({ mode, name }) => {
      const measured = samples.get(mode) ?? [];
      const mapped = measured.filter((run) => run.mapped).length;
      return {
        variant: name,
        runs: measured.length,
        'start-up p50 ms': p50(measured, 'startupMs'),
        'import p50 ms': p50(measured, 'importMs'),
        'import max ms': summarize(measured.map((run) => run.importMs)).max,
        'first invoke p50 ms': p50(measured, 'firstInvokeMs'),
        'first error p50 ms': p50(measured, 'firstErrorMs'),
        'first error max ms': summarize(measured.map((run) => run.firstErrorMs)).max,
        'next error p50 ms': p50(measured, 'nextErrorMs'),
        'stack mapped':
          mapped === measured.length ? 'yes' : mapped === 0 ? 'no' : `${mapped}/${measured.length}`,
        frame: measured[0]?.frame ?? '',
      };
    });
    const sizes = {
      'minified KiB': round(code.length / 1024, 1),
      'gzipped KiB': round(gzipSync(code).length / 1024, 1),
      'map KiB': round(map.length / 1024, 1),
      'map gzipped KiB': round(gzipSync(map).length / 1024, 1),
    };
    printTable(
      `Cold start: the esbuild bundle and its map (as infra/ builds them) in a fresh ${process.version}`,
      [sizes],
    );
    printTable(
      `Cold start by source-map handling (${runs} runs each, interleaved; "error": an ` +
        'invocation that fails and logs its stack)',
      variants.map(({ frame: _, ...row }) => row),
    );
    console.log("A stack's first frame in our code (or its first frame):");
    for (const { variant, frame } of variants) console.log(`  ${variant}: ${frame}`);
    const top = byPackage
      .slice(0, 6)
      .map(([name, bytes]) => ({ package: name, KiB: round(bytes / 1024, 1) }));
    printTable('Bundle: biggest contributors (minified bytes in the output)', top);
    // The figures at the top level are the deployed variant's (`b`).
    const deployed = variants[1] as (typeof variants)[number];
    return {
      ...sizes,
      runs,
      'import p50 ms': deployed['import p50 ms'],
      'import max ms': deployed['import max ms'],
      'first invoke p50 ms': deployed['first invoke p50 ms'],
      variants,
      byPackage: top,
    };
  } finally {
    sink.stop();
    await rm(outdir, { recursive: true, force: true });
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchColdStart({ quick: process.argv.includes('--quick') });
}
