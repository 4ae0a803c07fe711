/**
 * `npm run deploy [-- -c stage=prod -c site=off ...]`: deploys the chat API, then its browser
 * site (infra/deploy-plan.ts). If the site fails, the API stays deployed and working, and this
 * says so and how to go on. A preflight (scripts/preflight/) runs first and stops a deploy that
 * would fail, before any cdk step; `--no-preflight` or `-c preflight=off` skips it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deployPlan, OUTPUTS_FILE } from '../infra/deploy-plan.js';
import {
  NO_PREFLIGHT,
  preflight,
  preflightReport,
  preflightSkipped,
  preflightStops,
} from './preflight/index.js';

const cdk = createRequire(import.meta.url).resolve('aws-cdk/bin/cdk');
const given = process.argv.slice(2);
const args = given.filter((arg) => arg !== NO_PREFLIGHT);

let plan: ReturnType<typeof deployPlan>;
try {
  plan = deployPlan(args, process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}

if (!preflightSkipped(given)) {
  const findings = await preflight(args, process.env);
  if (preflightStops(findings)) {
    console.error(preflightReport(findings));
    process.exit(1);
  }
  console.log(preflightReport(findings));
}

for (const step of plan) {
  console.log(`\n▶ cdk ${step.args.join(' ')}\n`);
  const { status } = spawnSync(process.execPath, [cdk, ...step.args], { stdio: 'inherit' });
  if (status === 0) continue;
  if (step.part === 'site') {
    const chat = plan[0]?.stackName ?? '';
    let url = '';
    try {
      url = JSON.parse(readFileSync(OUTPUTS_FILE, 'utf8'))[chat]?.WebSocketUrl ?? '';
    } catch {}
    console.error(
      `\nThe chat API (${chat}) is deployed and works: ${url || `see ${OUTPUTS_FILE}`}\n` +
        '  npm run smoke   checks it; wscat and your own pages can use it now.\n' +
        `The browser site (${step.stackName}) did not deploy: its error is above.\n` +
        '  "Your account must be verified before you can add new CloudFront resources": a new\n' +
        '  account may not use CloudFront yet. Ask AWS Support to verify it, then run\n' +
        '  npm run deploy again; meanwhile deploy without the site: npm run deploy -- -c site=off\n',
    );
  }
  process.exit(status ?? 1);
}
