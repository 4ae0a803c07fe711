import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseEmfLine } from './dashboard-lines.js';
import { DASHBOARD_CSP, DASHBOARD_HTML } from './dashboard-page.js';
import { panelsOf } from './dashboard-panels.js';
import { createMetricsWindow, type MetricsWindowOptions } from './dashboard-window.js';
import { sendFresh } from './http.js';

/** The dashboard's page and data paths. */
export const DASHBOARD_PATH = '/dashboard';
const DATA_PATH = '/dashboard/data';

/** Points a chart shows at most: a range longer than this many seconds is read in wider steps. */
const MAX_POINTS = 150;
const DEFAULT_RANGE_S = 300;

/** The local dashboard: it reads the handler's output lines and serves what they measured. */
export interface Dashboard {
  /** One line the handler wrote to stdout; EMF lines are kept, the rest ignored. */
  read(line: string): void;
  /** Answers `/dashboard` and `/dashboard/data`; false for any other request. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
}

/**
 * The live dashboard: the handler's EMF lines, kept for the window's minutes, served as a page
 * of charts and as JSON (`/dashboard/data?range=SECONDS`: panels with one value a step, and each
 * series' totals over the range).
 */
export const createDashboard = (options: MetricsWindowOptions = {}): Dashboard => {
  const window = createMetricsWindow(options);
  const windowSeconds = options.seconds ?? 900;
  return {
    read: (line) => {
      for (const sample of parseEmfLine(line) ?? []) window.add(sample);
    },
    serve: async (req, res, pathname) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (pathname === DASHBOARD_PATH) {
        send(req, res, 'text/html; charset=utf-8', DASHBOARD_HTML, {
          'Content-Security-Policy': DASHBOARD_CSP,
        });
        return true;
      }
      if (pathname !== DATA_PATH) return false;
      const asked = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('range'));
      const range = Math.min(
        windowSeconds,
        Number.isInteger(asked) && asked > 0 ? asked : DEFAULT_RANGE_S,
      );
      const view = window.view(range, Math.ceil(range / MAX_POINTS));
      const body = {
        start: view.start,
        step: view.step,
        points: view.points,
        dropped: view.dropped,
        panels: panelsOf(view.series, view.points),
        series: view.series.map(({ points: _, ...totals }) => totals),
      };
      send(req, res, 'application/json', JSON.stringify(body));
      return true;
    },
  };
};

const send = (
  req: IncomingMessage,
  res: ServerResponse,
  type: string,
  text: string,
  headers: Record<string, string> = {},
) =>
  sendFresh(req, res, type, Buffer.from(text), { 'X-Content-Type-Options': 'nosniff', ...headers });
