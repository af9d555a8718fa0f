/**
 * How the server logs: JSON lines (pino) for whatever collects them — journald, a file, a log
 * shipper — and text for a person at a terminal (pino-pretty, in pino's transport worker so the
 * formatting stays off the event loop).
 */
import type { LoggerOptions } from 'pino';
import type { Config } from './config.js';

export function loggerOptions(cfg: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>, stdoutIsTerminal: boolean): LoggerOptions {
  const pretty = cfg.LOG_FORMAT === 'pretty' || (cfg.LOG_FORMAT === 'auto' && stdoutIsTerminal);
  if (!pretty) return { level: cfg.LOG_LEVEL };
  return {
    level: cfg.LOG_LEVEL,
    transport: {
      target: 'pino-pretty',
      options: {
        colorize: stdoutIsTerminal,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
        // One line an entry: a request's fields stay beside its message instead of below it.
        singleLine: true,
      },
    },
  };
}
