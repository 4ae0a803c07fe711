import { createHash } from 'node:crypto';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2937; --muted: #6b7280; --bg: #f9fafb; --card: #fff; --line: #e5e7eb; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e5e7eb; --muted: #9ca3af; --bg: #111827; --card: #1f2937; --line: #374151; }
}
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: baseline; padding: 1rem 1.25rem 0; }
h1 { margin: 0; font-size: 1.25rem; }
h1 small { color: var(--muted); font-weight: normal; }
#status { margin: 0; color: var(--muted); flex: 1; }
#status.error { color: #dc2626; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 1rem; padding: 1rem 1.25rem; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem; }
h2 { margin: 0 0 0.5rem; font-size: 0.95rem; }
svg { display: block; width: 100%; height: auto; }
.grid { stroke: var(--line); stroke-width: 1; }
.axis { fill: var(--muted); font-size: 10px; }
.series { fill: none; stroke-width: 1.75; stroke-linejoin: round; }
.legend { list-style: none; margin: 0.5rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
.legend .none { color: var(--muted); }
.swatch { display: inline-block; width: 0.75rem; height: 0.2rem; margin-right: 0.3rem; vertical-align: middle; }
.c0 { stroke: #2563eb; background: #2563eb; color: #2563eb; } .c1 { stroke: #dc2626; background: #dc2626; color: #dc2626; }
.c2 { stroke: #16a34a; background: #16a34a; color: #16a34a; } .c3 { stroke: #d97706; background: #d97706; color: #d97706; }
.c4 { stroke: #7c3aed; background: #7c3aed; color: #7c3aed; } .c5 { stroke: #0891b2; background: #0891b2; color: #0891b2; }
.c6 { stroke: #db2777; background: #db2777; color: #db2777; } .c7 { stroke: #65a30d; background: #65a30d; color: #65a30d; }
path.dashed { stroke-dasharray: 5 3; }
.swatch.dashed { background: none; height: 0; border-top: 0.2rem dotted currentColor; }
`;

const hash = (text: string) =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The dashboard's policy: its one inline script and style by hash (as `client.html` does), data
 * from its own origin only, and no framing (a header, so `frame-ancestors` holds).
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${hash(DASHBOARD_SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The local dashboard page: charts of the handler's metrics, drawn by its inline script. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat metrics (local)</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Chat metrics <small>local emulator</small></h1>
<p id="status">Waiting for data</p>
<label>Range <select id="range">
<option value="60">1 min</option>
<option value="300" selected>5 min</option>
<option value="900">15 min</option>
</select></label>
</header>
<main id="panels"></main>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
