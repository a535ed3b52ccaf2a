/**
 * The app's log: electron-log writing to a size-capped file under the user data folder (one
 * archive kept: main.log + main.old.log), every line redacted first, so no secret reaches disk.
 */
import { join } from 'node:path';
import type { LogMessage, NodeLogger } from 'electron-log';
import type { Logger } from '../core/ports';
import { PRIVATE_FILE_MODE } from '../core/files';
import { redactDeep, type SecretValues } from '../core/redact';

export const LOG_FILE = 'main.log';
export const LOG_MAX_BYTES = 5 * 1024 * 1024;

/** The parts of electron-log configured here; both electron-log/main and electron-log/node fit. */
export type LogBackend = Pick<NodeLogger, 'hooks' | 'transports' | 'info' | 'warn' | 'error'>;

export function redactionHook(secrets: () => SecretValues): (message: LogMessage) => LogMessage {
  return (message) => {
    const known = secrets();
    return { ...message, data: message.data.map((d) => redactDeep(d, known)) };
  };
}

/**
 * Points electron-log at `<logDir>/main.log`, caps it, installs the redaction hook and answers
 * the core's Logger interface over it.
 */
export function configureLogging(log: LogBackend, opts: { logDir: string; secrets: () => SecretValues }): Logger {
  const file = log.transports.file;
  file.resolvePathFn = () => join(opts.logDir, LOG_FILE);
  file.maxSize = LOG_MAX_BYTES;
  file.level = 'info';
  // Shop names, tids and buyer nicks are the seller's business: the file is the user's alone.
  file.writeOptions = { ...file.writeOptions, mode: PRIVATE_FILE_MODE };
  log.hooks.push(redactionHook(opts.secrets));
  const args = (message: string, data?: Record<string, unknown>) => (data === undefined ? [message] : [message, data]);
  return {
    info: (message, data) => log.info(...args(message, data)),
    warn: (message, data) => log.warn(...args(message, data)),
    error: (message, data) => log.error(...args(message, data)),
  };
}
