import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, reachedFrom, textOf } from './module-graph.js';

/**
 * The suite's three tiers, each a vitest project. A file's tier follows from what it loads
 * (everything it imports, transitively), so a new test lands in one without a list to edit:
 * - e2e: it starts the emulator (`local/emulator/index.ts`, behind `local/stack.ts`, `local/cli.ts`
 *   and `test/support/chat-server.ts`), Chromium (`playwright-core`), or processes of its own
 *   (a file of `test/` that imports `node:child_process`: `npm start`, wscat, scripts, Java);
 * - integration: otherwise, it uses DynamoDB Local (imports `startDynamoDbLocal`, or injects the
 *   run's `dynamoEndpoint` as `test/support/table.ts` does) or the handler harness;
 * - unit: everything else, run without Java, a browser or a child process.
 */
export const TIERS = ['unit', 'integration', 'e2e'] as const;
export type Tier = (typeof TIERS)[number];

/** Files whose tier their imports do not show, each with a comment saying why. None so far. */
export const TIER_EXCEPTIONS: Readonly<Record<string, Tier>> = {};

export const EMULATOR = 'local/emulator/index.ts';
export const BROWSER = 'playwright-core';
export const HANDLER_HARNESS = 'test/support/handler-harness.ts';
const CHILD_PROCESS = ['node:child_process', 'child_process'];
// A file that imports only `localAwsConfig` from `local/dynamodb-local.ts` starts nothing; one that
// imports its starter, or injects the endpoint of the run's instance, uses Java.
const STARTS_DYNAMODB =
  /\bimport\s*\{[^}]*\bstartDynamoDbLocal\b[^}]*\}\s*from\b|\binject\(\s*['"]dynamoEndpoint['"]\s*\)/;

/** What a file needs, found in everything it loads. */
export const usesOf = (file: string) => {
  const reached = reachedFrom(file);
  const imported = new Set([...reached.values()].flat());
  const files = [...reached.keys()];
  return {
    emulator: reached.has(EMULATOR),
    browser: imported.has(BROWSER),
    processes: files.some(
      (from) =>
        from.startsWith('test/') && reached.get(from)?.some((to) => CHILD_PROCESS.includes(to)),
    ),
    dynamoDbLocal: files.some((from) => STARTS_DYNAMODB.test(textOf(from))),
    handlerHarness: reached.has(HANDLER_HARNESS),
  };
};

export const tierOf = (file: string): Tier => {
  const exception = TIER_EXCEPTIONS[file];
  if (exception) return exception;
  const uses = usesOf(file);
  if (uses.emulator || uses.browser || uses.processes) return 'e2e';
  if (uses.dynamoDbLocal || uses.handlerHarness) return 'integration';
  return 'unit';
};

/** Every test file of the suite, as a path from the repository's root. */
export const testFiles = (): string[] =>
  readdirSync(join(ROOT, 'test'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();

/** The test files of each tier. */
export const filesByTier = (): Record<Tier, string[]> => {
  const tiers: Record<Tier, string[]> = { unit: [], integration: [], e2e: [] };
  for (const file of testFiles()) tiers[tierOf(file)].push(file);
  return tiers;
};
