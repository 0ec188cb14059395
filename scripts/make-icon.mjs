// Draws assets/icon.png (512x512) from the same shapes as assets/icon.svg, with a tiny PNG
// encoder, so the icon needs no image tool. Run: node scripts/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4; // per axis: 16 samples a pixel smooth the edges

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const rect = (x, y, w, h, r, color) => ({ x, y, w, h, r, color: hex(color) });
// Painted in order, later over earlier: keep in step with icon.svg.
const SHAPES = [
  rect(32, 32, 448, 448, 96, '#1c2130'),
  rect(196, 160, 120, 192, 0, '#3a4258'),
  ...[172, 204, 236, 268, 300].map((y) => rect(176, y, 160, 22, 11, '#5fb3d9')),
  rect(136, 112, 240, 48, 16, '#f2a541'),
  rect(136, 352, 240, 48, 16, '#f2a541'),
];

function inside(s, px, py) {
  if (px < s.x || py < s.y || px > s.x + s.w || py > s.y + s.h) return false;
  const cx = Math.min(Math.max(px, s.x + s.r), s.x + s.w - s.r);
  const cy = Math.min(Math.max(py, s.y + s.r), s.y + s.h - s.r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= s.r * s.r;
}

const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  pixels[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const px = x + (sx + 0.5) / SAMPLES;
        const py = y + (sy + 0.5) / SAMPLES;
        let color = null;
        for (const s of SHAPES) if (inside(s, px, py)) color = s.color;
        if (!color) continue;
        sum[0] += color[0];
        sum[1] += color[1];
        sum[2] += color[2];
        sum[3] += 255;
      }
    }
    const n = SAMPLES * SAMPLES;
    const covered = sum[3] / 255;
    const at = row + 1 + x * 4;
    // Colour averaged over covered samples only (straight alpha), coverage as alpha.
    for (let c = 0; c < 3; c++) pixels[at + c] = covered ? Math.round(sum[c] / covered) : 0;
    pixels[at + 3] = Math.round(sum[3] / n);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(pixels, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('../assets/icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote assets/icon.png (${SIZE}x${SIZE}, ${png.length} bytes)`);
