import { createLineSplitter } from './dashboard-lines.js';

type Write = typeof process.stdout.write;
type Listener = (chunk: unknown, encoding: unknown) => void;

const listeners = new Set<Listener>();
let tapped: { original: Write; wrapper: Write } | undefined;

/**
 * Reads this process's stdout line by line, for a handler run in-process (its `console.log` and
 * `process.stdout.write` land in the emulator's own stdout): every write still goes out as it
 * did, and `onLine` sees each line too. What else the process writes is read as well; the
 * dashboard keeps EMF lines only. Returns the function that removes the tap.
 */
export const tapStdout = (onLine: (line: string) => void): (() => void) => {
  const lines = createLineSplitter(onLine);
  const listener: Listener = (chunk, encoding) => {
    if (typeof chunk === 'string') {
      lines.push(
        typeof encoding === 'string' && encoding !== 'utf8'
          ? Buffer.from(chunk, encoding as BufferEncoding)
          : chunk,
      );
    } else if (chunk instanceof Uint8Array) {
      lines.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
  };
  if (!tapped) {
    const original = process.stdout.write;
    const wrapper = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
      for (const each of listeners) {
        try {
          each(chunk, rest[0]);
        } catch {
          // Reading the output must never cost the output itself.
        }
      }
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Write;
    process.stdout.write = wrapper;
    tapped = { original, wrapper };
  }
  listeners.add(listener);
  return () => {
    if (!listeners.delete(listener)) return;
    lines.end();
    // Put the original back only if nothing has wrapped ours since (a test's spy, say).
    if (listeners.size === 0 && tapped && process.stdout.write === tapped.wrapper) {
      process.stdout.write = tapped.original;
      tapped = undefined;
    }
  };
};
