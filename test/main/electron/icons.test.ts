import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { trayIconFiles } from '../../../src/main/electron/tray';

/** Width, height, and the alpha of every pixel (filter-0 RGBA rows, as scripts/make-icons.ts writes them). */
function readPng(bytes: Buffer): { width: number; height: number; alpha: number[] } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const chunks: Buffer[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('ascii', at + 4, at + 8) === 'IDAT') chunks.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const alpha: number[] = [];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) alpha.push(raw[y * (width * 4 + 1) + 1 + x * 4 + 3]!);
  return { width, height, alpha };
}

function readIco(bytes: Buffer): number[] {
  expect(bytes.readUInt16LE(2)).toBe(1);
  const sizes: number[] = [];
  for (let i = 0; i < bytes.readUInt16LE(4); i++) {
    const e = 6 + 16 * i;
    const png = bytes.subarray(bytes.readUInt32LE(e + 12), bytes.readUInt32LE(e + 12) + bytes.readUInt32LE(e + 8));
    const { width } = readPng(png);
    expect(bytes[e] === 0 ? 256 : bytes[e]).toBe(width);
    sizes.push(width);
  }
  return sizes;
}

const tray = (file: string) => readFileSync(join('resources/tray', file));

describe('committed icons', () => {
  it('every tray image the tray controller asks for exists, for every platform', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const file of Object.values(trayIconFiles(platform)))
        expect(existsSync(join('resources/tray', file)), file).toBe(true);
    }
  });

  it('tray PNGs are 16 px with @2x at 32 px, and show something', () => {
    for (const base of ['tray', 'trayUnread', 'trayTemplate', 'trayUnreadTemplate']) {
      const one = readPng(tray(`${base}.png`));
      const two = readPng(tray(`${base}@2x.png`));
      expect([one.width, one.height, two.width, two.height]).toEqual([16, 16, 32, 32]);
      expect(one.alpha.filter((a) => a > 0).length).toBeGreaterThan(30);
      expect(one.alpha.filter((a) => a === 0).length).toBeGreaterThan(30);
    }
    expect(readPng(tray('trayUnread.png')).alpha).not.toEqual(readPng(tray('tray.png')).alpha);
  });

  it('Windows tray icons hold 16 and 32 px images', () => {
    expect(readIco(tray('tray.ico'))).toEqual([16, 32]);
    expect(readIco(tray('trayUnread.ico'))).toEqual([16, 32]);
  });

  it('app icons: a 512 px PNG for macOS and Linux, an ICO up to 256 px for Windows', () => {
    const png = readPng(readFileSync('build/icon.png'));
    expect([png.width, png.height]).toEqual([512, 512]);
    expect(readIco(readFileSync('build/icon.ico'))).toEqual([16, 32, 48, 256]);
  });
});
