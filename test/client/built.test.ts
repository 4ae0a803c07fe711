import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildClientPage } from '../../scripts/client-page.js';

describe('the committed client.html', () => {
  it('is exactly what client/ builds to', async () => {
    const committed = await readFile(new URL('../../client.html', import.meta.url), 'utf8');
    const built = await buildClientPage();
    expect(committed === built, 'client.html is stale: run npm run build:client').toBe(true);
  });
});
