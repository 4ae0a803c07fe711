import { spawn } from 'node:child_process';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { alive, descendants } from './fixtures/processes.js';

/**
 * The real `npm start` wrapper (npm, the shell it runs the script in, Node), as systemd, Docker,
 * CI or `timeout` start it: in a process group of its own, so that a signal sent to npm reaches
 * npm alone.
 */
const startNpm = () => {
  const npm = spawn(
    'npm',
    ['start', '--', '--port', '0', '--quiet', '--handler', 'test/local/fixtures/echo.ts#handler'],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  npm.stdout?.on('data', keep);
  npm.stderr?.on('data', keep);
  const family: number[] = [];
  onTestFinished(() => {
    for (const pid of [npm.pid as number, ...family]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
  });
  return { npm, family, output: () => output };
};

describe('npm start', () => {
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    // Room for a slow start-up on a loaded machine and the bounded wait after the signal.
    it(`leaves nothing running, DynamoDB Local's Java included, when npm alone gets ${signal}`, {
      timeout: 120_000,
    }, async () => {
      const run = startNpm();
      await vi.waitFor(() => expect(run.output()).toContain('Press Ctrl-C to stop.'), {
        timeout: 45_000,
        interval: 100,
      });
      const httpUrl = run.output().match(/Browser\s+(http:\/\/\S+?)\/\s/)?.[1] as string;
      expect((await fetch(`${httpUrl}/config.json`)).status).toBe(200);
      const family = descendants(run.npm.pid as number);
      run.family.push(...family.map(({ pid }) => pid));
      expect(family.some(({ args }) => /^java\b.*DynamoDBLocal/.test(args))).toBe(true);
      expect(family.some(({ args }) => args.includes('local/cli.ts'))).toBe(true);

      process.kill(run.npm.pid as number, signal);
      await vi.waitFor(() => expect(alive(run.family)).toEqual([]), {
        timeout: 30_000,
        interval: 200,
      });
    });
  }
});
