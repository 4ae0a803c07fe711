/**
 * Recomputes the CSP hashes of client.html after its inline script or style changed:
 * `npx tsx test/client/update-csp.ts`. test/client/csp.test.ts fails while they are stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { withFreshHashes } from './csp.js';

const path = new URL('../../client.html', import.meta.url);
const html = await readFile(path, 'utf8');
const updated = withFreshHashes(html);
await writeFile(path, updated);
console.log(
  updated === html ? 'client.html: CSP hashes already current' : 'client.html: CSP hashes updated',
);
