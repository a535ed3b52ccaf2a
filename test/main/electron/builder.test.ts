import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REQUIRED_FUSES, validateBuilderConfig } from '../../../scripts/validate-builder';
import { APP_ID } from '../../../src/shared/appId';

const real = readFileSync('electron-builder.yml', 'utf8');
const run = promisify(execFile);

describe('electron-builder.yml', () => {
  it('passes the app-builder-lib schema, with appId = APP_ID and the fuses set', () => {
    expect(validateBuilderConfig(real)).toEqual([]);
    expect(real).toContain(`appId: ${APP_ID}`);
    for (const [fuse, value] of Object.entries(REQUIRED_FUSES))
      expect(real).toMatch(new RegExp(`^\\s+${fuse}: ${value}$`, 'm'));
  });

  it('the validator refuses an unknown key', () => {
    expect(validateBuilderConfig(`${real}\nnotAnOption: true\n`)).toEqual([expect.stringContaining('notAnOption')]);
    expect(validateBuilderConfig(real.replace('  category: Office', '  category: Office\n  bogus: 1'))).toContainEqual(
      expect.stringContaining('bogus'),
    );
  });

  it('the validator refuses another appId, a missing fuse, asar off and bad YAML', () => {
    expect(validateBuilderConfig(real.replace(`appId: ${APP_ID}`, 'appId: com.example.other'))).toEqual([
      expect.stringContaining('appId must be'),
    ]);
    expect(validateBuilderConfig(real.replace('  runAsNode: false', '  runAsNode: true'))).toEqual([
      'electronFuses.runAsNode must be false',
    ]);
    expect(validateBuilderConfig(real.replace('asar: true', 'asar: false'))).toContain(
      'asar must not be false: onlyLoadAppFromAsar needs it',
    );
    expect(validateBuilderConfig('a: [b')[0]).toMatch(/^not YAML/);
  });

  it('the script exits 0 on the real file and 1 on a broken copy', async () => {
    const ok = await run('npx', ['tsx', 'scripts/validate-builder.ts']);
    expect(ok.stdout).toContain('valid');
    const dir = mkdtempSync(join(tmpdir(), 'tradebell-builder-'));
    try {
      const broken = join(dir, 'electron-builder.yml');
      writeFileSync(broken, `${real}\nnotAnOption: true\n`);
      const failed = await run('npx', ['tsx', 'scripts/validate-builder.ts', broken]).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('notAnOption');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('unsigned macOS builds are re-signed ad hoc after the fuses are flipped (arm64 kills a broken signature)', () => {
    expect(real).toMatch(/^\s+resetAdHocDarwinSignature: true$/m);
    expect(validateBuilderConfig(real.replace('  resetAdHocDarwinSignature: true\n', ''))).toContain(
      'electronFuses.resetAdHocDarwinSignature must be true',
    );
  });
});
