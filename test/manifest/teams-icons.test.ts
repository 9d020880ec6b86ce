import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accentColor, colorIconPng, outlineIconPng } from '../../scripts/make-teams-icons.js';
import { encodePng } from '../../scripts/png-image.js';
import { decodePng } from './png-reader.js';

const root = new URL('../../', import.meta.url);
const committed = (name: string) => readFileSync(new URL(`manifest/teams/${name}`, root));

describe('manifest/teams/color.png', () => {
  const png = decodePng(committed('color.png'));

  it('is a 192x192 8-bit RGB PNG (full colour, no transparency)', () => {
    expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([192, 192, 8, 2]);
    expect(png.chunkTypes).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('fills its corners with the accent colour and draws a white glyph in the middle', () => {
    const at = (x: number, y: number) => Array.from(png.pixels.subarray((y * 192 + x) * 3, (y * 192 + x) * 3 + 3));
    const accent = [1, 3, 5].map((i) => Number.parseInt(accentColor.slice(i, i + 2), 16));
    for (const [x, y] of [[0, 0], [191, 0], [0, 191], [191, 191]] as const) expect(at(x, y)).toEqual(accent);
    let white = 0;
    for (let i = 0; i < png.pixels.length; i += 3) if (png.pixels[i] === 255 && png.pixels[i + 1] === 255 && png.pixels[i + 2] === 255) white++;
    expect(white).toBeGreaterThan(192 * 192 * 0.05);
    // Teams crops colour icons to rounded shapes: keep the glyph out of the outer 36 px.
    for (let y = 0; y < 192; y++) {
      for (let x = 0; x < 192; x++) {
        if (x >= 36 && x < 156 && y >= 36 && y < 156) continue;
        expect(at(x, y)).toEqual(accent);
      }
    }
  });

  it('is exactly what scripts/make-teams-icons.ts draws', () => {
    expect(committed('color.png').equals(colorIconPng())).toBe(true);
  });
});

describe('manifest/teams/outline.png', () => {
  const png = decodePng(committed('outline.png'));
  const alpha = (x: number, y: number) => png.pixels[(y * 32 + x) * 4 + 3]!;

  it('is a 32x32 8-bit RGBA PNG', () => {
    expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([32, 32, 8, 6]);
  });

  it('has a transparent background: corners and border fully transparent, most pixels empty', () => {
    for (let i = 0; i < 32; i++) {
      expect([alpha(i, 0), alpha(i, 31), alpha(0, i), alpha(31, i)]).toEqual([0, 0, 0, 0]);
    }
    let transparent = 0;
    for (let i = 3; i < png.pixels.length; i += 4) if (png.pixels[i] === 0) transparent++;
    expect(transparent / (32 * 32)).toBeGreaterThan(0.5);
  });

  it('draws only white: every visible pixel is 255,255,255 and some are fully opaque', () => {
    let opaque = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      if (png.pixels[i + 3] === 0) continue;
      expect(Array.from(png.pixels.subarray(i, i + 3))).toEqual([255, 255, 255]);
      if (png.pixels[i + 3] === 255) opaque++;
    }
    expect(opaque).toBeGreaterThan(50);
  });

  it('is exactly what scripts/make-teams-icons.ts draws', () => {
    expect(committed('outline.png').equals(outlineIconPng())).toBe(true);
  });
});

describe('the PNG encoder', () => {
  it('round-trips arbitrary RGBA and RGB rasters through an independent decoder', () => {
    for (const [width, height, colorType] of [[1, 1, 6], [7, 3, 2], [33, 17, 6]] as const) {
      const channels = colorType === 6 ? 4 : 3;
      const pixels = new Uint8Array(width * height * channels).map((_, i) => (i * 37 + 11) & 0xff);
      const decoded = decodePng(encodePng({ width, height, colorType, pixels }));
      expect([decoded.width, decoded.height, decoded.colorType]).toEqual([width, height, colorType]);
      expect(Buffer.from(decoded.pixels).equals(Buffer.from(pixels))).toBe(true);
    }
  });

  it('refuses a pixel buffer of the wrong size', () => {
    expect(() => encodePng({ width: 2, height: 2, colorType: 6, pixels: new Uint8Array(12) })).toThrow(/16 for 2x2x4/);
  });
});
