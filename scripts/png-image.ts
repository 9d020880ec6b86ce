// A minimal PNG encoder (8-bit RGB or RGBA, no interlace, filter 0) on node:zlib, so the Teams icons
// need no image dependency.
import { crc32, deflateSync } from 'node:zlib';

/** PNG colour types this encoder writes: 2 = RGB (opaque), 6 = RGBA. */
export type PngColorType = 2 | 6;

/** A raster to encode: `pixels` holds `width * height` samples of 3 (RGB) or 4 (RGBA) bytes, row by row. */
export interface PngRaster {
  readonly width: number;
  readonly height: number;
  readonly colorType: PngColorType;
  readonly pixels: Uint8Array;
}

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Encodes a raster as PNG bytes; the output is deterministic for the same input. */
export function encodePng(raster: PngRaster): Buffer {
  const channels = raster.colorType === 6 ? 4 : 3;
  const { width, height } = raster;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PNG size must be positive integers, got ${width}x${height}`);
  }
  if (raster.pixels.length !== width * height * channels) {
    throw new RangeError(
      `PNG pixel buffer holds ${raster.pixels.length} bytes, expected ${width * height * channels} for ${width}x${height}x${channels}`,
    );
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = raster.colorType;
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering (each row says which filter; we always use 0 = None)
  ihdr[12] = 0; // no interlace

  const stride = width * channels;
  const scanlines = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    scanlines[y * (stride + 1)] = 0;
    scanlines.set(raster.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
