import type { Template } from 'aws-cdk-lib/assertions';
import { asText } from './intrinsics.js';
import { onlyOf } from './template.js';

/** One metric a dashboard graph draws, as CloudWatch reads it from the widget's JSON. */
export interface DrawnMetric {
  widget: string;
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  stat: string | undefined;
  /** An input of a math expression, not drawn itself. */
  hidden: boolean;
}

interface Widget {
  type: string;
  properties: { title?: string; metrics?: unknown[][]; alarms?: string[] };
}

/**
 * The dashboard's body as JSON (its deploy-time values, such as the function's name, written as
 * `{Ref:Function…}`), and every metric its graphs name: drawn, or an input of a math expression
 * (the expression's own line names no metric).
 */
export const readDashboard = (template: Template) => {
  const [, dashboard] = onlyOf(template, 'AWS::CloudWatch::Dashboard');
  const body = JSON.parse(asText(dashboard.Properties?.DashboardBody)) as { widgets: Widget[] };
  const metrics: DrawnMetric[] = body.widgets.flatMap((widget) =>
    (widget.properties.metrics ?? [])
      .filter((line) => typeof line[0] === 'string')
      .map((line) => {
        const last = line.at(-1);
        const options = (typeof last === 'object' ? last : {}) as {
          stat?: string;
          visible?: boolean;
        };
        const parts = (typeof last === 'object' ? line.slice(0, -1) : line) as string[];
        const dimensions: Record<string, string> = {};
        for (let i = 2; i + 1 < parts.length; i += 2) {
          dimensions[parts[i] as string] = parts[i + 1] as string;
        }
        return {
          widget: widget.properties.title ?? '',
          namespace: parts[0] as string,
          name: parts[1] as string,
          dimensions,
          stat: options.stat,
          hidden: options.visible === false,
        };
      }),
  );
  return { body, metrics };
};
