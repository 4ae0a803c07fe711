/**
 * Prints the size of the function bundle from the last `npm run synth`, minified and gzipped:
 * `npx tsx scripts/bundle-size.ts [stage]`.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const stage = process.argv[2] ?? process.env.CHAT_STAGE ?? 'dev';
const outdir = join(import.meta.dirname, '..', 'cdk.out');
const template = JSON.parse(
  readFileSync(join(outdir, `ServerlessChat-${stage}.template.json`), 'utf8'),
) as {
  Resources: Record<
    string,
    { Type: string; Properties?: { FunctionName?: unknown }; Metadata?: Record<string, string> }
  >;
};

const fn = Object.values(template.Resources).find(
  (r) =>
    r.Type === 'AWS::Lambda::Function' &&
    r.Properties?.FunctionName === `ServerlessChat-${stage}-router`,
);
const assetPath = fn?.Metadata?.['aws:asset:path'];
if (!assetPath)
  throw new Error(`no bundled router in cdk.out for stage ${stage}; run npm run synth`);

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
for (const file of ['index.mjs', 'index.mjs.map']) {
  const path = join(outdir, assetPath, file);
  const gzipped = gzipSync(readFileSync(path), { level: 9 }).length;
  console.log(
    `${file.padEnd(14)} ${kib(statSync(path).size).padStart(10)} raw  ${kib(gzipped).padStart(10)} gzipped`,
  );
}
