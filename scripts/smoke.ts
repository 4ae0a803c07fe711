/**
 * End-to-end smoke test of a running chat (local or deployed), through real WebSockets:
 * `npm run smoke -- <ws-or-wss-url> [--token T]`. Without a URL it reads the WebSocketUrl
 * that the last `npm run deploy` wrote to cdk.out/outputs.json, whatever its stage (CHAT_STAGE,
 * when set, must match it).
 * Prints PASS/FAIL per step and exits 1 on the first failure.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { OUTPUTS_FILE } from '../infra/deploy-plan.js';
import { deployedWebSocketUrl } from '../local/smoke/deployed-url.js';
import { scenario } from '../local/smoke/scenario.js';

/** The whole run may take this long, cold starts included. */
const RUN_TIMEOUT_MS = 180_000;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'Usage: npm run smoke -- [ws://127.0.0.1:3001 | wss://ID.execute-api.REGION.amazonaws.com/STAGE] [--token T]\n' +
      '  --token T       a token for a chat with auth on (or CHAT_TOKEN); sent as the\n' +
      '                  token.<base64url> subprotocol, as browsers do (the chat refuses ?token=)',
  );
  process.exit(0);
}

const deployedUrl = () => {
  let outputs: unknown;
  try {
    outputs = JSON.parse(readFileSync(OUTPUTS_FILE, 'utf8'));
  } catch {
    return { error: `no ${OUTPUTS_FILE}: nothing was deployed from here yet` };
  }
  return deployedWebSocketUrl(outputs, process.env.CHAT_STAGE || undefined);
};

const found = positionals[0] === undefined ? deployedUrl() : { url: positionals[0] };
const endpoint = 'url' in found ? found.url : undefined;
if (!endpoint || !/^wss?:\/\//.test(endpoint)) {
  if ('error' in found) console.error(`No URL given, and ${found.error}.`);
  console.error('Give the WebSocket URL: npm run smoke -- ws://127.0.0.1:3001 (or wss://...)');
  process.exit(2);
}

const watchdog = setTimeout(() => {
  console.error(`FAIL  the smoke test did not finish within ${RUN_TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, RUN_TIMEOUT_MS);

const token = values.token ?? process.env.CHAT_TOKEN;
const run = scenario(endpoint, token ? { token } : undefined);
console.log(`Smoke test against ${endpoint} in room ${run.room}`);
let failed = false;
for (const [index, step] of run.steps.entries()) {
  const label = `${String(index + 1).padStart(2)}. ${step.name}`;
  if (failed) {
    console.log(`SKIP  ${label}`);
    continue;
  }
  const began = performance.now();
  try {
    await step.run();
    console.log(`PASS  ${label}  (${Math.round(performance.now() - began)} ms)`);
  } catch (error) {
    failed = true;
    console.log(`FAIL  ${label}\n      ${error instanceof Error ? error.message : String(error)}`);
  }
}
await run.close();
clearTimeout(watchdog);
console.log(failed ? 'Smoke test FAILED' : `All ${run.steps.length} steps passed`);
process.exit(failed ? 1 : 0);
