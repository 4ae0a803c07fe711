/**
 * Runs every benchmark, prints each table and writes `bench/results.json`.
 * `npm run bench` for the full run, `npm run bench -- --quick` for a CI-sized one.
 */
import { writeFile } from 'node:fs/promises';
import { benchBroadcast } from './broadcast.js';
import { machine } from './stats.js';
import { benchStore } from './store.js';

const quick = process.argv.includes('--quick');
const started = new Date().toISOString();
const results = {
  started,
  quick,
  machine: await machine(),
  store: await benchStore({ quick }),
  broadcast: await benchBroadcast({ quick }),
};
const file = new URL('./results.json', import.meta.url);
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${file.pathname}`);
