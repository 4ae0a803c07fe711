import { readdir, readFile } from 'node:fs/promises';
import { round } from '../../stats.js';

const MIB = 2 ** 20;

/** This process's resident memory, MiB: the emulator's, its containers' worker threads included. */
export const rssMiB = () => round(process.memoryUsage().rss / MIB, 1);

/**
 * The resident memory (MiB, from /proc) of this process's child whose command is `command`
 * (DynamoDB Local's `java`); undefined where there is no /proc or no such child.
 */
export const childRssMiB = async (command: string) => {
  const pids = await readdir('/proc').catch(() => [] as string[]);
  for (const pid of pids.filter((name) => /^\d+$/.test(name))) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid ...: the command may hold spaces and parentheses, so split after it.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    if (comm !== command || ppid !== process.pid) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    if (kib !== undefined) return round((Number(kib) * 1024) / MIB, 1);
  }
  return undefined;
};
