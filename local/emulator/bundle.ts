import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Bundled ESM that still lets CommonJS dependencies `require` Node's built-ins (as `infra/`). */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const WORKER_ENTRY = fileURLToPath(new URL('./container-worker.ts', import.meta.url));

/** The handler and the container code, bundled once into a temporary directory. */
export interface Bundle {
  /** The container's entry script, for `new Worker`. */
  workerPath: string;
  /** `file:` URL of the handler's bundle. */
  handlerUrl: string;
  /** Removes the directory. */
  dispose(): Promise<void>;
}

/**
 * Bundles the handler module with esbuild the way `infra/function.ts` does for Lambda (ESM,
 * node24, everything bundled, the `createRequire` banner, source maps), beside the container's
 * own code. Worker threads get no TypeScript loader from tsx or vitest; a bundle needs none.
 */
export const bundleHandler = async (file: string): Promise<Bundle> => {
  const outdir = await mkdtemp(join(tmpdir(), 'emulator-bundle-'));
  try {
    await build({
      entryPoints: { handler: resolve(file), container: WORKER_ENTRY },
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      logLevel: 'silent',
    });
  } catch (error) {
    await rm(outdir, { recursive: true, force: true });
    const detail = (error as { errors?: { text: string }[] }).errors?.map((e) => e.text);
    throw new Error(`Cannot bundle the handler ${file}: ${detail?.join('; ') ?? String(error)}`);
  }
  return {
    workerPath: join(outdir, 'container.mjs'),
    handlerUrl: pathToFileURL(join(outdir, 'handler.mjs')).href,
    dispose: () => rm(outdir, { recursive: true, force: true }),
  };
};
