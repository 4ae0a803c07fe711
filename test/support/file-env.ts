import { afterAll } from 'vitest';

/**
 * Sets these environment variables for the rest of the test file (call it at the top, before
 * the handler reads its settings once per container) and puts the previous values back after.
 */
export const useFileEnv = (settings: Record<string, string>) => {
  const previous = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
  Object.assign(process.env, settings);
  afterAll(() => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
};
