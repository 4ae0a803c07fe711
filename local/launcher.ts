import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** How often the launcher is looked at: a person waits about this long after it is gone. */
const POLL_MS = 500;

/**
 * The processes that launched this one, nearest first: its ancestors in its own process group
 * (`npm start`'s npm, the shell npm runs the script in, a `node` shim where there is one). Just
 * the parent where `ps` cannot tell.
 */
const launcherChain = (): number[] => {
  let listing: string;
  try {
    listing = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { encoding: 'utf8' });
  } catch {
    return [process.ppid];
  }
  const rows = new Map<number, { ppid: number; pgid: number }>();
  for (const line of listing.trim().split('\n')) {
    const [pid, ppid, pgid] = line.trim().split(/\s+/).map(Number);
    if (pid !== undefined && ppid !== undefined && pgid !== undefined) {
      rows.set(pid, { ppid, pgid });
    }
  }
  const group = rows.get(process.pid)?.pgid;
  const chain: number[] = [];
  // Pid 1 is the machine's (or container's) init: its end is everyone's.
  for (let pid = process.ppid; pid > 1 && rows.get(pid)?.pgid === group; ) {
    chain.push(pid);
    pid = rows.get(pid)?.ppid ?? 0;
  }
  return chain;
};

/** Whether `pid` has exited: no such process, or a zombie its parent has not collected yet. */
const exited = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    // The state follows the command's name in parentheses, which may itself hold spaces.
    return /\)\s+Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false; // no /proc (macOS): alive, as far as anyone can tell
  }
};

/**
 * Notes now which processes launched this one, and returns `watch`, which calls `onExit` once
 * one of them has exited. A signal to `npm start` that npm relays to the script's shell (SIGTERM
 * from systemd, Docker, CI or `timeout`), or that ends npm itself (SIGHUP), kills the shell or npm
 * and never reaches this process: without this, the chat and DynamoDB Local's Java would run on,
 * orphaned. Ctrl-C needs none of it: a terminal signals the whole process group.
 */
export const noteLauncher = () => {
  const chain = launcherChain();
  return {
    watch: (onExit: () => void) => {
      const timer = setInterval(() => {
        if (!chain.some(exited)) return;
        clearInterval(timer);
        onExit();
      }, POLL_MS);
      // Never the reason the process stays up.
      timer.unref();
    },
  };
};
