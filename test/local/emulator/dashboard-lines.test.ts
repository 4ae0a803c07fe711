import { describe, expect, it } from 'vitest';
import { createLineSplitter, parseEmfLine } from '../../../local/emulator/dashboard-lines.js';

const split = (chunks: (string | Buffer)[], end = true) => {
  const lines: string[] = [];
  const splitter = createLineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk);
  if (end) splitter.end();
  return lines;
};

const emf = (
  record: Record<string, unknown>,
  metrics: { Name: string; Unit?: string }[],
  dims = [['service', 'stage']],
) =>
  JSON.stringify({
    _aws: {
      Timestamp: 1_700_000_000_000,
      CloudWatchMetrics: [{ Namespace: 'ServerlessChat', Dimensions: dims, Metrics: metrics }],
    },
    service: 'chat',
    stage: 'dev',
    ...record,
  });

describe('the line splitter', () => {
  it('joins a line that arrives over several chunks, and holds back a line not yet ended', () => {
    expect(split(['{"a":', '1}\nsecond', ' line\nthi'], false)).toEqual(['{"a":1}', 'second line']);
  });

  it('hands over the last line without its newline at the end of the stream', () => {
    expect(split(['one\ntwo'])).toEqual(['one', 'two']);
  });

  it('keeps a character whose bytes are split across two chunks whole', () => {
    const bytes = Buffer.from('café ☕\n', 'utf8');
    expect(split([bytes.subarray(0, 4), bytes.subarray(4, 8), bytes.subarray(8)])).toEqual([
      'café ☕',
    ]);
  });

  it('drops the carriage return of a CRLF line ending, and keeps empty lines', () => {
    expect(split(['a\r\n\nb\n'])).toEqual(['a', '', 'b']);
  });

  it('skips a line too long to be read, and reads the next one', () => {
    const long = 'x'.repeat(300 * 1024);
    expect(split([long.slice(0, 200_000), long.slice(200_000), '\nnext\n'])).toEqual(['next']);
  });
});

describe('reading an EMF line', () => {
  it('reads route metrics with their route', () => {
    const line = emf(
      { route: 'sendmessage', Invocations: 1, Duration: 12.5 },
      [
        { Name: 'Invocations', Unit: 'Count' },
        { Name: 'Duration', Unit: 'Milliseconds' },
      ],
      [['service', 'stage', 'route']],
    );
    expect(parseEmfLine(line)).toEqual([
      {
        name: 'Invocations',
        unit: 'Count',
        route: 'sendmessage',
        values: [1],
        timestamp: 1_700_000_000_000,
      },
      {
        name: 'Duration',
        unit: 'Milliseconds',
        route: 'sendmessage',
        values: [12.5],
        timestamp: 1_700_000_000_000,
      },
    ]);
  });

  it('reads every value of a metric given as an array', () => {
    const line = emf({ FanoutTime: [3, 8.5, 21] }, [{ Name: 'FanoutTime', Unit: 'Milliseconds' }]);
    expect(parseEmfLine(line)?.[0]?.values).toEqual([3, 8.5, 21]);
  });

  it('gives a stage-level metric no route, even when the record has a route field', () => {
    const line = emf({ route: 'x', PostsDelivered: 4 }, [
      { Name: 'PostsDelivered', Unit: 'Count' },
    ]);
    expect(parseEmfLine(line)?.[0]).not.toHaveProperty('route');
  });

  it('keeps a metric the catalogue does not know, and one without a unit', () => {
    const line = emf({ Mystery: 2 }, [{ Name: 'Mystery' }]);
    expect(parseEmfLine(line)).toEqual([
      { name: 'Mystery', unit: 'None', values: [2], timestamp: 1_700_000_000_000 },
    ]);
  });

  it('skips values that are not numbers, and metrics without a value', () => {
    const line = emf({ A: 'seven', B: [1, null, 'x', 2] }, [
      { Name: 'A' },
      { Name: 'B' },
      { Name: 'C' },
    ]);
    expect(parseEmfLine(line)?.map((s) => [s.name, s.values])).toEqual([['B', [1, 2]]]);
  });

  it('passes over lines that are not EMF', () => {
    for (const line of [
      'hello from the handler',
      '{"level":"info","event":"connected"}',
      '{"_aws": {"Timestamp": 1}}',
      '{"_aws": {"CloudWatchMetrics": [',
      '["_aws"]',
      '',
    ]) {
      expect(parseEmfLine(line), line).toBeUndefined();
    }
  });
});
