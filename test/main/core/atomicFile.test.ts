import * as fs from 'node:fs/promises';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFileTarget, writeFileAtomic, type FileSystem } from '../../../src/main/core/atomicFile';

describe('tempFileTarget', () => {
  it("names the file a temp file left by writeFileAtomic was for, and nothing else's", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tradebell-atomic-'));
    // A save cut short after its temp file was written: the rename fails, and so does the clean-up.
    const crashing: FileSystem = {
      ...fs,
      rename: () => Promise.reject(new Error('EPERM')),
      rm: () => Promise.resolve(),
    };
    await expect(writeFileAtomic(join(dir, '1700000000000-42-ab12cd34.json'), '[]', crashing)).rejects.toThrow('EPERM');
    const [left] = await readdir(dir);
    expect(tempFileTarget(left!)).toBe('1700000000000-42-ab12cd34.json');
    for (const name of ['1700000000000-42-ab12cd34.json', 'notes.txt', 'x.json.tmp', 'x.json.12-zz.tmp'])
      expect(tempFileTarget(name), name).toBeUndefined();
  });
});
