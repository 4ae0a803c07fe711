import type { LocalStack } from '../../../local/stack.js';
import type { Crowd } from '../crowd.js';

/** A figure compared side by side; `null`: never happened within the deadline. */
export type Figure = number | string | null;

/** What a scenario runs with: the stack under test (one runtime), the crowd, the run's size. */
export interface StormContext {
  crowd: Crowd;
  stack: LocalStack;
  quick: boolean;
}

/** One storm: its handler settings, what it does, and the figures it is compared by. */
export interface Storm<R> {
  /** The table's title: what happens, at this run's size. */
  title(quick: boolean): string;
  /** The handler's environment beyond the app's defaults (the rate limits it lifts). */
  env(): Promise<Record<string, string>>;
  /** Runs the storm and answers what the crowd measured; its clients stay open. */
  run(context: StormContext): Promise<R>;
  /** The crowd's groups to close afterwards. */
  groups: string[];
  /** The figures, in table order. */
  figures(result: R): Record<string, Figure>;
}

/** A storm, typed by its own result inside and by none outside. */
export const storm = <R>(definition: Storm<R>) => definition as Storm<unknown>;

/** Error frames by code, summed: API Gateway's own (`gateway`, `throttled`) or the chat's. */
export const gatewayErrors = (errors: Record<string, number> | undefined) =>
  (errors?.gateway ?? 0) + (errors?.throttled ?? 0);

/** Counts by key as `key n, key n` (`0` when there are none), for a table cell. */
export const counts = (byKey: Record<string, number> | undefined) => {
  const entries = Object.entries(byKey ?? {}).filter(([, n]) => n > 0);
  return entries.length === 0 ? 0 : entries.map(([key, n]) => `${key} ${n}`).join(', ');
};

/** Rounds a time to whole ms; `null` stays `null` (never). */
export const ms = (value: number | null | undefined) =>
  value === null || value === undefined || Number.isNaN(value) ? null : Math.round(value);
