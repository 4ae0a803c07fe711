import { describe, expect, it, onTestFinished } from 'vitest';
import { tapStdout } from '../../../local/emulator/dashboard-tap.js';

/** Stands in for the terminal: what reaches stdout's own `write` from now on. */
const fakeTerminal = () => {
  const real = process.stdout.write;
  let text = '';
  const terminal = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = terminal;
  onTestFinished(() => {
    process.stdout.write = real;
  });
  return { terminal, written: () => text };
};

describe('the stdout tap', () => {
  it('sees each line written in pieces, strings or bytes, and lets every write through', () => {
    const { written } = fakeTerminal();
    const lines: string[] = [];
    const untap = tapStdout((line) => lines.push(line));
    process.stdout.write('{"_aws":');
    process.stdout.write(Buffer.from('{}}\nplain\n'));
    untap();
    expect(lines).toEqual(['{"_aws":{}}', 'plain']);
    expect(written()).toBe('{"_aws":{}}\nplain\n');
  });

  it('puts stdout’s write back when the last tap is removed', () => {
    const { terminal } = fakeTerminal();
    const first = tapStdout(() => undefined);
    const second = tapStdout(() => undefined);
    first();
    expect(process.stdout.write).not.toBe(terminal);
    second();
    expect(process.stdout.write).toBe(terminal);
  });
});
