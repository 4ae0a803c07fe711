/** One line of the preflight's report: `stop` ends the deploy before any cdk step runs. */
export interface Finding {
  level: 'ok' | 'warn' | 'stop';
  text: string;
}

/** An SDK error as `Name: message`, for a finding that quotes what AWS answered. */
export const described = (error: unknown) => {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  return message && message !== name ? `${name}: ${message}` : name;
};

/** Whether AWS refused the call to these credentials (a check they may not make is skipped). */
export const isDenied = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403;
