#!/usr/bin/env node
/**
 * Draws the Teams app icons into manifest/ (committed; rerun after changing
 * the design): color.png, 192x192, a white shield with a clock on the accent
 * colour; outline.png, 32x32, the same shield and clock in white on
 * transparent, as Teams requires. Real PNG bytes from node:zlib alone.
 *
 *   node scripts/make-icons.js [outDir]
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ACCENT = [0x1f, 0x6f, 0x78]; // manifest accentColor #1F6F78
const WHITE = [255, 255, 255];

// ---- PNG encoding (RGBA, 8 bits per channel, filter 0) ----
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** rgba: Uint8Array of width*height*4. */
function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 4)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (1 + width * 4) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- the motif, in units where the icon spans [-1, 1] on both axes (y down) ----
const SHIELD_TOP = -0.78;
const SHIELD_SHOULDER = 0.05;
const SHIELD_TIP = 0.86;
const SHIELD_HALF_WIDTH = 0.66;

/** Half-width of the shield at height y (0 outside it). */
function shieldHalfWidth(y) {
  if (y < SHIELD_TOP || y > SHIELD_TIP) return 0;
  if (y <= SHIELD_SHOULDER) {
    // a gentle dip in the top edge is drawn by insideShield; the sides are straight
    return SHIELD_HALF_WIDTH;
  }
  const t = (y - SHIELD_SHOULDER) / (SHIELD_TIP - SHIELD_SHOULDER); // 0..1 down to the tip
  return SHIELD_HALF_WIDTH * Math.sqrt(Math.max(0, 1 - t * t));
}

function insideShield(x, y, inset = 0) {
  // the top edge rises slightly towards the corners
  const top = SHIELD_TOP + inset + 0.08 * (1 - (x / SHIELD_HALF_WIDTH) ** 2);
  if (y < top) return false;
  const hw = shieldHalfWidth(y + (y > SHIELD_SHOULDER ? inset * 0.6 : 0)) - inset;
  return hw > 0 && Math.abs(x) <= hw && y <= SHIELD_TIP - inset * 1.6;
}

const CLOCK = { cx: 0, cy: -0.05, r: 0.36 };

function onSegment(x, y, x1, y1, x2, y2, halfWidth) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  const px = x1 + t * dx - x;
  const py = y1 + t * dy - y;
  return px * px + py * py <= halfWidth * halfWidth;
}

function clockMark(x, y, stroke) {
  const d = Math.hypot(x - CLOCK.cx, y - CLOCK.cy);
  const ring = Math.abs(d - CLOCK.r) <= stroke / 2;
  const hourHand = onSegment(x, y, CLOCK.cx, CLOCK.cy, CLOCK.cx, CLOCK.cy - CLOCK.r * 0.62, stroke / 2);
  const minuteHand = onSegment(x, y, CLOCK.cx, CLOCK.cy, CLOCK.cx + CLOCK.r * 0.55, CLOCK.cy + CLOCK.r * 0.2, stroke / 2);
  return ring || hourHand || minuteHand;
}

/** Renders size x size pixels, each supersampled ss x ss; paint(x, y) gives [r,g,b,a] or null. */
function render(size, paint, ss = 4) {
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = ((px + (sx + 0.5) / ss) / size) * 2 - 1;
          const y = ((py + (sy + 0.5) / ss) / size) * 2 - 1;
          const c = paint(x, y);
          if (!c) continue;
          const ca = c[3] / 255;
          r += c[0] * ca;
          g += c[1] * ca;
          b += c[2] * ca;
          a += ca;
        }
      }
      const i = (py * size + px) * 4;
      const n = ss * ss;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round((a / n) * 255);
    }
  }
  return out;
}

function colorIcon(size = 192) {
  return render(size, (x, y) => {
    if (insideShield(x, y)) return clockMark(x, y, 0.1) ? [...ACCENT, 255] : [...WHITE, 255];
    return [...ACCENT, 255];
  });
}

function outlineIcon(size = 32) {
  const stroke = 2.2 / size * 2; // about two pixels, in icon units
  return render(size, (x, y) => {
    const border = insideShield(x, y) && !insideShield(x, y, stroke);
    return border || clockMark(x, y, stroke * 0.9) ? [...WHITE, 255] : null;
  }, 8);
}

function main() {
  const outDir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'manifest'));
  fs.mkdirSync(outDir, { recursive: true });
  const color = encodePng(192, 192, colorIcon(192));
  const outline = encodePng(32, 32, outlineIcon(32));
  fs.writeFileSync(path.join(outDir, 'color.png'), color);
  fs.writeFileSync(path.join(outDir, 'outline.png'), outline);
  process.stdout.write(`wrote ${path.join(outDir, 'color.png')} (${color.length} bytes), ${path.join(outDir, 'outline.png')} (${outline.length} bytes)\n`);
}

if (require.main === module) main();

module.exports = { encodePng, colorIcon, outlineIcon, crc32 };
