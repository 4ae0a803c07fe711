/**
 * Builds the top-level client.html from client/ (`npm run build:client`); commit the result.
 * test/client/built.test.ts fails while the committed file differs from a fresh build.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { buildClientPage } from './client-page.js';

const path = new URL('../client.html', import.meta.url);
const built = await buildClientPage();
const committed = await readFile(path, 'utf8').catch(() => '');
await writeFile(path, built);
console.log(built === committed ? 'client.html: already up to date' : 'client.html: rebuilt');
