// Renders costbridge's Microsoft Teams icons from their SVG sources with resvg and writes the PNGs:
// `node bin/run-ts.js scripts/make-teams-icons.ts [OUT-DIR]` (default manifest/teams).
// Teams wants color.png 192x192 full colour and outline.png 32x32, white on transparent; the
// drawings are manifest/teams/color.svg and outline.svg (edit those, then run this).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

/** The accent colour shared by the colour icon background and the manifest's `accentColor`. */
export const accentColor = '#0F766E';

const sourceDir = resolve(dirname(fileURLToPath(import.meta.url)), '../manifest/teams');

/** Renders one SVG at its own size (no fonts are loaded: the icons hold no text). */
export function renderSvgPng(svg: string): Buffer {
  const resvg = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false }, shapeRendering: 2 });
  return Buffer.from(resvg.render().asPng());
}

/** The 192x192 colour icon, from color.svg. */
export function colorIconPng(dir = sourceDir): Buffer {
  return renderSvgPng(readFileSync(join(dir, 'color.svg'), 'utf8'));
}

/** The 32x32 outline icon, from outline.svg. */
export function outlineIconPng(dir = sourceDir): Buffer {
  return renderSvgPng(readFileSync(join(dir, 'outline.svg'), 'utf8'));
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
