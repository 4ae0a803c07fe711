import {
  byRoute,
  fixed,
  type Lines,
  type LineView,
  prefixed,
  unknown,
} from './dashboard-chart-lines.js';
import type { SeriesView } from './dashboard-window.js';

/** One chart, as the page draws it. */
export interface PanelView {
  id: string;
  title: string;
  /** `mixed` for the catch-all panel. */
  unit: 'Count' | 'Milliseconds' | 'mixed';
  lines: LineView[];
}

/** The charts, in the order and grouping of the CloudWatch dashboard. */
const PANELS: { id: string; title: string; unit: PanelView['unit']; lines: Lines[] }[] = [
  {
    id: 'invocations',
    title: 'Invocations by route',
    unit: 'Count',
    lines: [byRoute('Invocations', ['sum'])],
  },
  {
    id: 'duration',
    title: 'Duration by route',
    unit: 'Milliseconds',
    lines: [byRoute('Duration', ['p50', 'p99'])],
  },
  {
    id: 'errors',
    title: 'Errors and cold starts',
    unit: 'Count',
    lines: [byRoute('Errors', ['sum']), fixed([['ColdStarts', 'sum', 'cold starts']])],
  },
  {
    id: 'fanout-time',
    title: 'Fan-out time',
    unit: 'Milliseconds',
    lines: [
      fixed([
        ['FanoutTime', 'p50', 'p50'],
        ['FanoutTime', 'p99', 'p99'],
      ]),
    ],
  },
  {
    id: 'fanout-size',
    title: 'Fan-out size',
    unit: 'Count',
    lines: [
      fixed([
        ['FanoutMembers', 'avg', 'members (mean)'],
        ['FanoutMembers', 'max', 'members (max)'],
        ['FanoutWorkers', 'avg', 'workers (mean)'],
        ['FanoutGroupsTakenBack', 'sum', 'groups taken back'],
      ]),
    ],
  },
  {
    id: 'posts',
    title: 'Posts',
    unit: 'Count',
    lines: [
      fixed([
        ['PostsDelivered', 'sum', 'delivered'],
        ['PostsPruned', 'sum', 'pruned'],
        ['PostsFailed', 'sum', 'failed'],
        ['PostsThrottled', 'sum', 'throttled'],
        ['PostsUnreached', 'sum', 'unreached'],
      ]),
    ],
  },
  { id: 'refusals-code', title: 'Refusals by code', unit: 'Count', lines: [prefixed('Refused.')] },
  {
    id: 'refusals-budget',
    title: 'Refusals by budget',
    unit: 'Count',
    lines: [prefixed('RefusedBudget.')],
  },
  {
    id: 'dynamodb',
    title: 'DynamoDB',
    unit: 'Count',
    lines: [
      fixed([
        ['DynamoDBThrottles', 'sum', 'throttles'],
        ['ConditionalCheckLosses', 'sum', 'conditional-check losses'],
      ]),
    ],
  },
  {
    id: 'batches',
    title: 'Batch sizes (messages a round)',
    unit: 'Count',
    lines: [
      fixed([
        ['BatchMessages', 'avg', 'mean'],
        ['BatchMessages', 'max', 'max'],
      ]),
    ],
  },
  {
    id: 'messages',
    title: 'Messages and replays',
    unit: 'Count',
    lines: [
      fixed([
        ['MessagesSent', 'sum', 'sent'],
        ['ReplayMessages', 'sum', 'replayed'],
        ['ReplayPages', 'sum', 'replay pages'],
      ]),
    ],
  },
  { id: 'other', title: 'Other metrics', unit: 'mixed', lines: [unknown] },
];

/** The dashboard's charts drawn from a window's series, `points` steps each. */
export const panelsOf = (series: SeriesView[], points: number): PanelView[] =>
  PANELS.map(({ id, title, unit, lines }) => ({
    id,
    title,
    unit,
    lines: lines.flatMap((lines) => lines(series, points)),
  }));
