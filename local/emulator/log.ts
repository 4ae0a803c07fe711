/** Where the emulator reports: request lines unless quiet, handler errors always. */
export interface Log {
  info(line: string): void;
  error(line: string, error?: unknown): void;
}

/** A console log; `quiet` silences the request lines. */
export const createLog = (quiet: boolean): Log => ({
  info: (line) => {
    if (!quiet) console.log(`[emulator] ${line}`);
  },
  error: (line, error) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : error;
    console.error(`[emulator] ${line}`, ...(detail === undefined ? [] : [detail]));
  },
});
