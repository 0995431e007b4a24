/**
 * Structured logs with pino: one JSON object a line, ISO time, level by name. Never pass tokens, keys,
 * ballots or note texts: log ids and counts only. Fields that could carry them are redacted anyway, in case
 * one slips into a call (defence in depth; tests/integration/logs.test.ts reads a whole session's log).
 */
import { pino, type DestinationStream } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type Logger = Record<Exclude<LogLevel, 'silent'>, (msg: string, fields?: Record<string, unknown>) => void>;

const SECRET_FIELDS = ['key', 'token', 'ticket', 'passphrase', 'createKey', 'authorization', 'text', 'answer', 'ballot'];

export function createLogger(level: LogLevel, destination: DestinationStream = pino.destination({ sync: true })): Logger {
  const logger = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`)], censor: '[redacted]' },
    },
    destination,
  );
  const write = (at: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => logger[at](fields ?? {}, msg);
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
