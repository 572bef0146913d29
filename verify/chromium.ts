import { spawn } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { inflateSync } from 'zlib';

/** Debian's Chromium launcher (`scripts/install-e2e-deps.sh` installs it). */
export const chromiumBinary = '/usr/bin/chromium';

import { Rgb } from './colours';

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/**
 * The flags every run uses: headless, no sandbox (CI runs as root), nothing that talks to the
 * network on its own, and a fixed scale so screenshot pixels are CSS pixels.
 */
const baseFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--hide-scrollbars',
  '--force-device-scale-factor=1',
];

/**
 * Loads `url` in headless Chromium with a fresh profile and writes a PNG screenshot of the
 * viewport to `file`. Chromium runs in its own process group, which is killed afterwards, so
 * no helper process outlives the call.
 */
export async function screenshot(url: string, file: string, viewport: Viewport = { width: 800, height: 600 }): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
  const args = [...baseFlags, `--user-data-dir=${profile}`, `--window-size=${viewport.width},${viewport.height}`, `--screenshot=${file}`, url];
  const child = spawn(chromiumBinary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group has already gone.
    }
  };
  const timer = setTimeout(killGroup, 30_000);
  try {
    const result = await new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    if (result.code !== 0 || !existsSync(file)) {
      throw new Error(`chromium ${result.signal ?? `exited ${result.code}`} without writing ${file}:\n${output.slice(-4000)}`);
    }
  } finally {
    clearTimeout(timer);
    killGroup();
    rmSync(profile, { recursive: true, force: true });
  }
}

export interface Image extends Viewport {
  pixel(x: number, y: number): Rgb;
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG: what Chromium's screenshots are. */
export function decodePng(png: Buffer): Image {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += length + 12;
  }
  if (!header) throw new Error('PNG without IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [bitDepth, colourType, , , interlace] = header.subarray(8);
  if (bitDepth !== 8 || (colourType !== 2 && colourType !== 6) || interlace !== 0) {
    throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}`);
  }
  const channels = colourType === 6 ? 4 : 3;
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(data));
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? pixels[y * stride + i - channels] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + i] : 0;
      const upLeft = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
      pixels[y * stride + i] = (line[i] + unfilter(filter, left, up, upLeft)) & 0xff;
    }
  }
  return {
    width,
    height,
    pixel(x, y) {
      const at = y * stride + x * channels;
      return [pixels[at], pixels[at + 1], pixels[at + 2]];
    },
  };
}

function unfilter(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0: return 0;
    case 1: return left;
    case 2: return up;
    case 3: return (left + up) >> 1;
    case 4: {
      const estimate = left + up - upLeft;
      const [dLeft, dUp, dUpLeft] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
      return dLeft <= dUp && dLeft <= dUpLeft ? left : dUp <= dUpLeft ? up : upLeft;
    }
    default: throw new Error(`PNG filter ${filter} is not defined`);
  }
}
