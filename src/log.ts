/** One JSON object per line, as Lambda's JSON log format expects. Never pass message text. */

type Level = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Lambda sets AWS_LAMBDA_LOG_LEVEL from the function's application log level.
const threshold = () => {
  const configured = process.env.AWS_LAMBDA_LOG_LEVEL?.toLowerCase();
  if (configured === 'silent' || configured === 'off') return Number.POSITIVE_INFINITY;
  return ORDER[configured as Level] ?? ORDER.info;
};

/** Whether a line of this level is written at the configured level. */
export const logsAt = (level: Level) => ORDER[level] >= threshold();

export type LogFields = Record<string, unknown>;

export type Logger = (level: Level, event: string, fields?: LogFields) => void;

/** Where log lines go: standard output, which Lambda sends to CloudWatch Logs. */
export type LogWriter = (line: string) => void;

export const writeToStdout: LogWriter = (line) => {
  process.stdout.write(line);
};

/** A logger that carries `base` fields (route, connection, request id) on every line. */
export const createLogger =
  (base: LogFields = {}, write: LogWriter = writeToStdout): Logger =>
  (level, event, fields = {}) => {
    if (!logsAt(level)) return;
    const line = { timestamp: new Date().toISOString(), level, event, ...base, ...fields };
    write(`${JSON.stringify(line)}\n`);
  };
