import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import electronLog from 'electron-log/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_FILE, LOG_MAX_BYTES, configureLogging, redactionHook } from '../../../src/main/electron/log';

const TOKEN = 'vvtool-token-5f4e3d2c1b0a';

let dir: string;
let n = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradebell-log-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh electron-log instance (the Node flavour: same transports and hooks as main, no Electron). */
function instance() {
  const log = electronLog.create({ logId: `test-${++n}` });
  log.transports.console.level = false;
  return log;
}

describe('configureLogging', () => {
  it('writes to <logDir>/main.log, capped at 5 MB', () => {
    const log = instance();
    const logger = configureLogging(log, { logDir: dir, secrets: () => [] });
    logger.info('TradeBell started', { shops: 2 });
    expect(log.transports.file.maxSize).toBe(LOG_MAX_BYTES);
    expect(log.transports.file.getFile().path).toBe(join(dir, LOG_FILE));
    expect(readFileSync(join(dir, LOG_FILE), 'utf8')).toMatch(/TradeBell started.*shops/);
    if (process.platform !== 'win32') expect(statSync(join(dir, LOG_FILE)).mode & 0o777).toBe(0o600);
  });

  it('no secret reaches the file: known values, Bearer credentials, token fields', () => {
    const log = instance();
    const logger = configureLogging(log, { logDir: dir, secrets: () => [TOKEN, null] });
    logger.warn(`request failed with ${TOKEN}`);
    logger.error('gateway said', {
      headers: { authorization: 'Bearer some-other-token-999' },
      url: 'https://x/?access_token=abc123',
    });
    logger.info('nested', { deep: [{ error: new Error(`boom ${TOKEN}`) }] } as Record<string, unknown>);
    const text = readFileSync(join(dir, LOG_FILE), 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('some-other-token-999');
    expect(text).not.toContain('abc123');
    expect(text).toContain('request failed with ***');
  });

  it('asks for the secrets on every line, so a token entered later is redacted too', () => {
    const log = instance();
    let secrets: string[] = [];
    const logger = configureLogging(log, { logDir: dir, secrets: () => secrets });
    secrets = [TOKEN];
    logger.info(`now set: ${TOKEN}`);
    expect(readFileSync(join(dir, LOG_FILE), 'utf8')).not.toContain(TOKEN);
  });
});

describe('redactionHook', () => {
  it('returns a redacted copy and leaves the original message alone', () => {
    const message = { data: [`x ${TOKEN}`, { t: TOKEN }], date: new Date(), level: 'info' as const };
    const out = redactionHook(() => [TOKEN])(message);
    expect(out.data).toEqual(['x ***', { t: '***' }]);
    expect(message.data[0]).toContain(TOKEN);
  });
});
