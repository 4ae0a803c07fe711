import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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

/** Bundles the handler like infra/ does; returns the file and its biggest packages. */
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
    metafile: true,
    logLevel: 'silent',
  });
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(
    result.metafile.outputs[Object.keys(result.metafile.outputs)[0] as string]?.inputs ?? {},
  )) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? 'src (ours)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return { outfile, byPackage: [...byPackage].sort((a, b) => b[1] - a[1]) };
};

/**
 * A fresh Node process: imports the bundle, then runs one `$default` invocation (which creates
 * the SDK clients and posts an error frame to `callbackUrl`). Prints both times in ms.
 */
const coldRun = (file: string, callbackUrl: string) =>
  new Promise<{ importMs: number; firstInvokeMs: number }>((resolve, reject) => {
    // Built here, where the factory is; the child gets them as JSON (the context's functions aside).
    const context = createContext({
      functionName: 'bench',
      region: 'us-east-1',
      awsRequestId: 'cold',
      deadline: Date.now() + 3000,
    });
    const script = `
      const t0 = performance.now();
      const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
      const t1 = performance.now();
      await handler(${JSON.stringify(messageEvent(connectionFacts('cold'), '{"action":"nothing"}'))},
        { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 3000 });
      console.log(JSON.stringify({ importMs: t1 - t0, firstInvokeMs: performance.now() - t1 }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH ?? '',
        TABLE_NAME: 'cold-start',
        CALLBACK_URL: callbackUrl,
        AWS_LAMBDA_FUNCTION_NAME: 'bench',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_LAMBDA_LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'));
      else reject(new Error(`cold run exited with ${code}: ${out}`));
    });
  });

/** Bundle size (minified, gzipped) and cold start: import and first invocation in a fresh Node. */
export const benchColdStart = async ({ quick = false } = {}) => {
  const runs = quick ? 5 : 20;
  const outdir = await mkdtemp(join(tmpdir(), 'chat-bundle-'));
  const sink = await startSink();
  try {
    const { outfile, byPackage } = await bundle(outdir);
    const code = await readFile(outfile);
    const imports: number[] = [];
    const invokes: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { importMs, firstInvokeMs } = await coldRun(outfile, sink.url);
      imports.push(importMs);
      invokes.push(firstInvokeMs);
    }
    const row = {
      'minified KiB': round(code.length / 1024, 1),
      'gzipped KiB': round(gzipSync(code).length / 1024, 1),
      runs,
      'import p50 ms': summarize(imports).p50,
      'import max ms': summarize(imports).max,
      'first invoke p50 ms': summarize(invokes).p50,
    };
    printTable(
      `Cold start: the esbuild bundle (as infra/ builds it) in a fresh ${process.version}`,
      [row],
    );
    const top = byPackage
      .slice(0, 6)
      .map(([name, bytes]) => ({ package: name, KiB: round(bytes / 1024, 1) }));
    printTable('Bundle: biggest contributors (minified bytes in the output)', top);
    return { ...row, byPackage: top };
  } finally {
    sink.stop();
    await rm(outdir, { recursive: true, force: true });
  }
};
