/**
 * The add-in's icons, drawn at build time: a rounded Fluent-blue square with a white pound sign.
 * A tiny PNG encoder (RGBA, zlib) keeps binary files out of the repository.
 */
import { deflateSync } from 'node:zlib';

export const ICON_SIZES = [16, 32, 64, 80] as const;

// A 7×9 pound sign; scaled to the icon.
const GLYPH = ['..###..', '.#...#.', '.#.....', '.#.....', '####...', '.#.....', '.#.....', '##....#', '#######'];

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function iconPng(size: number): Buffer {
  const blue = [0x0f, 0x6c, 0xbd];
  const radius = Math.max(2, Math.round(size / 6));
  const glyphScale = Math.max(1, Math.floor((size * 0.6) / GLYPH.length));
  const glyphWidth = 7 * glyphScale;
  const glyphHeight = GLYPH.length * glyphScale;
  const gx = Math.floor((size - glyphWidth) / 2);
  const gy = Math.floor((size - glyphHeight) / 2);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const o = y * (size * 4 + 1) + 1 + x * 4;
      const dx = Math.max(radius - x - 0.5, x + 0.5 - (size - radius), 0);
      const dy = Math.max(radius - y - 0.5, y + 0.5 - (size - radius), 0);
      const inside = dx * dx + dy * dy <= radius * radius;
      const gxIndex = Math.floor((x - gx) / glyphScale);
      const gyIndex = Math.floor((y - gy) / glyphScale);
      const ink = x >= gx && y >= gy && GLYPH[gyIndex]?.[gxIndex] === '#';
      const [r, g, b] = ink ? [255, 255, 255] : blue;
      raw[o] = r as number;
      raw[o + 1] = g as number;
      raw[o + 2] = b as number;
      raw[o + 3] = inside ? 255 : 0;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}
