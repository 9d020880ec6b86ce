// Draws costbridge's Microsoft Teams icons (a tied-arch bridge) and writes them as PNGs:
// `node bin/run-ts.js scripts/make-teams-icons.ts [OUT-DIR]` (default manifest/teams).
// Teams wants color.png 192x192 full colour and outline.png 32x32, white on transparent.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodePng } from './png-image.js';

/** The accent colour shared by the colour icon background and the manifest's `accentColor`. */
export const accentColor = '#0F766E';

/** How much of the unit square the bridge glyph covers at (x, y), 0..1, from 16x16 samples. */
function glyphCoverage(x0: number, y0: number, x1: number, y1: number): number {
  const n = 16;
  let hits = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      if (insideBridge(x0 + ((i + 0.5) / n) * (x1 - x0), y0 + ((j + 0.5) / n) * (y1 - y0))) hits++;
    }
  }
  return hits / (n * n);
}

// The glyph in a unit square (y down): a deck, an arch above it tied by three hangers, two piers below.
function insideBridge(x: number, y: number): boolean {
  const deckTop = 0.56;
  const deckBottom = 0.66;
  if (y >= deckTop && y <= deckBottom && x >= 0.04 && x <= 0.96) return true;
  const cx = 0.5;
  const cy = deckTop;
  const r = Math.hypot(x - cx, y - cy);
  if (y <= cy && r >= 0.34 && r <= 0.42) return true;
  for (const hx of [0.3, 0.5, 0.7]) {
    const archInner = cy - Math.sqrt(Math.max(0, 0.34 * 0.34 - (hx - cx) ** 2));
    if (Math.abs(x - hx) <= 0.03 && y >= archInner && y <= deckTop) return true;
  }
  for (const px of [0.2, 0.8]) {
    if (Math.abs(x - px) <= 0.055 && y >= deckBottom && y <= 0.92) return true;
  }
  return false;
}

function hexRgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

/** The 192x192 colour icon: white bridge on the accent colour, glyph inside the central 120 px. */
export function colorIconPng(): Buffer {
  const size = 192;
  const glyphBox = 120;
  const inset = (size - glyphBox) / 2;
  const [br, bg, bb] = hexRgb(accentColor);
  const pixels = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = glyphCoverage((x - inset) / glyphBox, (y - inset) / glyphBox, (x + 1 - inset) / glyphBox, (y + 1 - inset) / glyphBox);
      const o = (y * size + x) * 3;
      pixels[o] = Math.round(br + (255 - br) * a);
      pixels[o + 1] = Math.round(bg + (255 - bg) * a);
      pixels[o + 2] = Math.round(bb + (255 - bb) * a);
    }
  }
  return encodePng({ width: size, height: size, colorType: 2, pixels });
}

/** The 32x32 outline icon: a white bridge whose alpha is its coverage, on a transparent background. */
export function outlineIconPng(): Buffer {
  const size = 32;
  const margin = 1;
  const box = size - 2 * margin;
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = glyphCoverage((x - margin) / box, (y - margin) / box, (x + 1 - margin) / box, (y + 1 - margin) / box);
      const o = (y * size + x) * 4;
      const alpha = Math.round(a * 255);
      // Fully transparent pixels are 0,0,0,0 so the background carries no colour at all.
      pixels[o] = pixels[o + 1] = pixels[o + 2] = alpha === 0 ? 0 : 255;
      pixels[o + 3] = alpha;
    }
  }
  return encodePng({ width: size, height: size, colorType: 6, pixels });
}

/** Writes color.png and outline.png into `dir`. */
export function writeTeamsIcons(dir: string): void {
  writeFileSync(join(dir, 'color.png'), colorIconPng());
  writeFileSync(join(dir, 'outline.png'), outlineIconPng());
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = resolve(process.argv[2] ?? 'manifest/teams');
  writeTeamsIcons(dir);
  console.log(`wrote ${join(dir, 'color.png')} and ${join(dir, 'outline.png')}`);
}
