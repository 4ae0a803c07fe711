import { readFile } from 'node:fs/promises';

/**
 * This process's open-file limit (soft), from /proc on Linux; `undefined` elsewhere. Each client
 * holds one descriptor in the crowd and one in the server process, plus the handler's sockets.
 */
export const openFileLimit = async (): Promise<number | undefined> => {
  try {
    const limits = await readFile('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
};

/** Warns (loudly) when `needed` descriptors will not fit under the limit. */
export const checkOpenFiles = async (needed: number) => {
  const limit = await openFileLimit();
  if (limit !== undefined && limit < needed) {
    console.warn(
      `\n!!! ulimit -n is ${limit}, but this run holds about ${needed} sockets per process: ` +
        `raise it (ulimit -n ${needed * 2}) or expect connection failures.\n`,
    );
  }
  return limit;
};
