import { describe, expect, it } from 'vitest';
import { NAMESPACE, SERVICE, STAGE_METRIC_NAMES } from '../../src/metrics/catalogue.js';
import { createMetrics } from '../../src/metrics/recorder.js';
import { capturedLog } from '../support/metrics.js';

const invocation = { route: 'sendmessage', durationMs: 12.5, failed: false };

describe('the metrics recorder', () => {
  it('writes an invocation as one line by route and one by stage, in CloudWatch EMF', () => {
    const log = capturedLog();
    const metrics = createMetrics({ stage: 'prod' });
    metrics.count('PostsDelivered', 3);
    metrics.count('PostsDelivered');
    metrics.sample('FanoutTime', 40);
    metrics.flush(invocation, log.write);

    const [byRoute, byStage, ...rest] = log.lines.map((line) => JSON.parse(line));
    expect(rest).toEqual([]);
    expect(byRoute).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: NAMESPACE,
            Dimensions: [['service', 'stage', 'route']],
            Metrics: [
              { Name: 'Invocations', Unit: 'Count' },
              { Name: 'Duration', Unit: 'Milliseconds' },
              { Name: 'Errors', Unit: 'Count' },
            ],
          },
        ],
      },
      service: SERVICE,
      stage: 'prod',
      route: 'sendmessage',
      Invocations: 1,
      Duration: 12.5,
      Errors: 0,
    });
    expect(byRoute._aws.Timestamp).toEqual(expect.any(Number));
    expect(byStage._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'stage']]);
    expect(byStage).not.toHaveProperty('route');
    expect(byStage).toMatchObject({ PostsDelivered: 4, FanoutTime: 40, ColdStarts: 1 });
  });

  it('counts a cold start once per container, and starts each invocation empty', () => {
    const log = capturedLog();
    const metrics = createMetrics({ stage: 'dev' });
    metrics.count('MessagesSent');
    metrics.flush(invocation, log.write);
    metrics.flush({ ...invocation, route: 'who', failed: true }, log.write);
    expect(log.total('ColdStarts')).toBe(1);
    expect(log.total('MessagesSent')).toBe(1);
    expect(log.total('Errors', 'who')).toBe(1);
    expect(log.total('Invocations')).toBe(2);
    // The second invocation recorded nothing by stage: it writes its route line only.
    expect(log.lines).toHaveLength(3);
  });

  it('keeps each sample for percentiles, fewer than 100 values of a metric to a line (CloudWatch takes 100)', () => {
    const log = capturedLog();
    const metrics = createMetrics({ stage: 'dev' });
    for (let n = 1; n <= 250; n++) metrics.sample('BatchMessages', n);
    metrics.count('PostsDelivered', 7);
    metrics.flush(invocation, log.write);
    const stageLines = log.emf().filter(({ fields }) => fields.route === undefined);
    expect(stageLines.map(({ values }) => (values.BatchMessages as number[]).length)).toEqual([
      99, 99, 52,
    ]);
    expect(stageLines.flatMap(({ values }) => values.BatchMessages)).toEqual(
      Array.from({ length: 250 }, (_, n) => n + 1),
    );
    expect(log.total('PostsDelivered')).toBe(7);
  });

  it('accepts every metric of the catalogue with its unit', () => {
    const log = capturedLog();
    const metrics = createMetrics({ stage: 'dev' });
    for (const name of STAGE_METRIC_NAMES) metrics.count(name);
    metrics.flush(invocation, log.write);
    const written = log.emf().flatMap(({ values }) => Object.keys(values));
    expect(written).toEqual(expect.arrayContaining([...STAGE_METRIC_NAMES]));
  });

  it('records and writes nothing when switched off', () => {
    const log = capturedLog();
    const metrics = createMetrics({ stage: 'dev', enabled: false });
    metrics.count('PostsDelivered');
    metrics.flush(invocation, log.write);
    expect(log.lines).toEqual([]);
  });
});
