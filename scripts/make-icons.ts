/**
 * Draws TradeBell's icons (a bell; the unread variant adds a dot) and writes them as PNG and ICO
 * with hand-written encoders, so no image tool is needed:
 *   resources/tray/  tray icons: macOS template images, Linux PNG, Windows ICO, the taskbar overlay
 *   build/           app icons: icon.png (512 px, macOS and Linux) and icon.ico (Windows)
 * Run: npx tsx scripts/make-icons.ts   (deterministic: the same bytes every run)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];
/** Whether a point of the unit square lies inside a shape. */
type Shape = (x: number, y: number) => boolean;

// ---- encoders -------------------------------------------------------------------------------

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA, 8 bits per channel, no interlace, filter 0 on every row. */
function encodePng(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** An ICO holding PNG images (Windows Vista and later read them). */
function encodeIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

// ---- drawing --------------------------------------------------------------------------------

const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));
const minus =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    a(x, y) && !b(x, y);
const roundedSquare =
  (inset: number, radius: number): Shape =>
  (x, y) => {
    const lo = inset + radius;
    const hi = 1 - inset - radius;
    const dx = Math.max(lo - x, 0, x - hi);
    const dy = Math.max(lo - y, 0, y - hi);
    return dx * dx + dy * dy <= radius * radius && x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset;
  };

/** A bell in the unit square: dome, flared skirt, rim, clapper and a knob on top. */
function bell(scale = 1, cx = 0.5, cy = 0.5): Shape {
  const at = (x: number, y: number) => [(x - cx) / scale + 0.5, (y - cy) / scale + 0.5] as const;
  const dome = circle(0.5, 0.4, 0.22);
  const skirt: Shape = (x, y) => y >= 0.4 && y <= 0.72 && Math.abs(x - 0.5) <= 0.22 + ((y - 0.4) / 0.32) * 0.13;
  // A capsule: the segment from x 0.16 to 0.84 at y 0.73, thickened by 0.045.
  const rim: Shape = (x, y) => Math.max(0, Math.abs(x - 0.5) - 0.34) ** 2 + (y - 0.73) ** 2 <= 0.045 ** 2;
  const clapper = circle(0.5, 0.83, 0.085);
  const knob = circle(0.5, 0.17, 0.06);
  const shape = union(dome, skirt, rim, clapper, knob);
  return (x, y) => shape(...at(x, y));
}

const DOT = circle(0.78, 0.24, 0.2);
const DOT_GAP = circle(0.78, 0.24, 0.28);

/** Paints layers back to front with 4×4 supersampling for smooth edges. */
function render(size: number, layers: { shape: Shape; colour: Rgba }[]): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          let colour: Rgba = [0, 0, 0, 0];
          for (const layer of layers) if (layer.shape(x, y)) colour = layer.colour;
          const alpha = colour[3] / 255;
          r += colour[0] * alpha;
          g += colour[1] * alpha;
          b += colour[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      out[i + 3] = Math.round((a / (n * n)) * 255);
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
      }
    }
  }
  return out;
}

const BLACK: Rgba = [0, 0, 0, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const AMBER: Rgba = [245, 166, 35, 255];
const ORANGE: Rgba = [255, 106, 0, 255];
const RED: Rgba = [229, 57, 53, 255];

function trayLayers(variant: 'template' | 'colour', unread: boolean): { shape: Shape; colour: Rgba }[] {
  const body = bell(1.05);
  const colour = variant === 'template' ? BLACK : AMBER;
  if (!unread) return [{ shape: body, colour }];
  // The dot sits in a clear ring so it reads at 16 px, even in a single-colour template image.
  return [
    { shape: minus(body, DOT_GAP), colour },
    { shape: DOT, colour: variant === 'template' ? BLACK : RED },
  ];
}

function appIconLayers(): { shape: Shape; colour: Rgba }[] {
  return [
    { shape: roundedSquare(0.06, 0.2), colour: ORANGE },
    { shape: bell(0.62, 0.5, 0.52), colour: WHITE },
  ];
}

// ---- output ---------------------------------------------------------------------------------

function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const write = (path: string, bytes: Buffer) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
    console.log(`${path}  ${bytes.length} bytes`);
  };
  const png = (size: number, layers: { shape: Shape; colour: Rgba }[]) => encodePng(size, render(size, layers));

  for (const unread of [false, true]) {
    const name = unread ? 'trayUnread' : 'tray';
    write(`resources/tray/${name}Template.png`, png(16, trayLayers('template', unread)));
    write(`resources/tray/${name}Template@2x.png`, png(32, trayLayers('template', unread)));
    write(`resources/tray/${name}.png`, png(16, trayLayers('colour', unread)));
    write(`resources/tray/${name}@2x.png`, png(32, trayLayers('colour', unread)));
    write(
      `resources/tray/${name}.ico`,
      encodeIco([16, 32].map((size) => ({ size, png: png(size, trayLayers('colour', unread)) }))),
    );
  }
  write('resources/tray/overlay.png', png(16, [{ shape: circle(0.5, 0.5, 0.45), colour: RED }]));

  write('build/icon.png', png(512, appIconLayers()));
  write('build/icon.ico', encodeIco([16, 32, 48, 256].map((size) => ({ size, png: png(size, appIconLayers()) }))));
}

main();
