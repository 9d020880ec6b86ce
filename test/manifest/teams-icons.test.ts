import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accentColor, colorIconPng, outlineIconPng } from '../../scripts/make-teams-icons.js';
import { decodePng } from './png-reader.js';

const root = new URL('../../', import.meta.url);
const committed = (name: string) => readFileSync(new URL(`manifest/teams/${name}`, root));

describe('manifest/teams/color.png', () => {
  const png = decodePng(committed('color.png'));

  it('is a 192x192 8-bit PNG in full colour with no transparency (every pixel opaque)', () => {
    expect([png.width, png.height, png.bitDepth]).toEqual([192, 192, 8]);
    expect([2, 6]).toContain(png.colorType);
    if (png.channels === 4) for (let i = 3; i < png.pixels.length; i += 4) expect(png.pixels[i]).toBe(255);
  });

  it('fills its corners with the accent colour and draws a white glyph in the middle', () => {
    const c = png.channels;
    const at = (x: number, y: number) => Array.from(png.pixels.subarray((y * 192 + x) * c, (y * 192 + x) * c + 3));
    const accent = [1, 3, 5].map((i) => Number.parseInt(accentColor.slice(i, i + 2), 16));
    for (const [x, y] of [[0, 0], [191, 0], [0, 191], [191, 191]] as const) expect(at(x, y)).toEqual(accent);
    let white = 0;
    for (let i = 0; i < png.pixels.length; i += c) if (png.pixels[i] === 255 && png.pixels[i + 1] === 255 && png.pixels[i + 2] === 255) white++;
    expect(white).toBeGreaterThan(192 * 192 * 0.05);
    // Teams crops colour icons to rounded shapes: keep the glyph out of the outer 36 px.
    for (let y = 0; y < 192; y++) {
      for (let x = 0; x < 192; x++) {
        if (x >= 36 && x < 156 && y >= 36 && y < 156) continue;
        expect(at(x, y)).toEqual(accent);
      }
    }
  });

  it('is what scripts/make-teams-icons.ts renders from color.svg (pixel for pixel)', () => {
    expect(Buffer.from(decodePng(colorIconPng()).pixels).equals(Buffer.from(png.pixels))).toBe(true);
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

  it('is what scripts/make-teams-icons.ts renders from outline.svg (pixel for pixel)', () => {
    expect(Buffer.from(decodePng(outlineIconPng()).pixels).equals(Buffer.from(png.pixels))).toBe(true);
  });
});

describe('the icon sources', () => {
  it('are SVG drawings in the accent colour, so a designer edits them rather than code', () => {
    const color = committed('color.svg').toString('utf8');
    expect(color).toMatch(/^<svg [^>]*width="192" height="192"/);
    expect(color).toContain(`fill="${accentColor}"`);
    expect(committed('outline.svg').toString('utf8')).toMatch(/^<svg [^>]*width="32" height="32"/);
  });
});
