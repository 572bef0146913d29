import { cssNamedColourValues } from '../config/css-colors';

export type Rgb = readonly [number, number, number];

/** A colour with its alpha, each channel 0-255 and alpha 0-1. */
interface Rgba {
  readonly rgb: Rgb;
  readonly alpha: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

function hex(text: string): Rgba {
  const digits = text.slice(1);
  const pairs = digits.length <= 4 ? [...digits].map((digit) => digit + digit) : digits.match(/../g)!;
  const [r, g, b, a] = pairs.map((pair) => parseInt(pair, 16));
  return { rgb: [r, g, b], alpha: a === undefined ? 1 : a / 255 };
}

function channel(text: string): number {
  return clamp(text.endsWith('%') ? (parseFloat(text) * 255) / 100 : parseFloat(text), 0, 255);
}

function alphaOf(text: string | undefined): number {
  if (text === undefined) return 1;
  return clamp(text.endsWith('%') ? parseFloat(text) / 100 : parseFloat(text), 0, 1);
}

/** HSL to sRGB, as CSS Color 4 section 7.1 gives it. */
function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const h = ((hue % 360) + 360) % 360;
  const s = clamp(saturation, 0, 100) / 100;
  const l = clamp(lightness, 0, 100) / 100;
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    return (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))) * 255;
  };
  return [f(0), f(8), f(4)];
}

/** The sRGB channels and alpha of a CSS colour that fleet.yaml accepts (config/css-colors.ts). */
export function parseCssColour(colour: string): Rgba {
  if (Object.hasOwn(cssNamedColourValues, colour)) return hex(cssNamedColourValues[colour as keyof typeof cssNamedColourValues]);
  if (colour.startsWith('#')) return hex(colour);
  const match = /^(rgba?|hsla?)\((.*)\)$/.exec(colour.trim());
  if (!match) throw new Error(`"${colour}" is not a CSS colour this project accepts`);
  const [first, second, third, alpha] = match[2].split(',').map((part) => part.trim());
  if (match[1].startsWith('rgb')) return { rgb: [channel(first), channel(second), channel(third)], alpha: alphaOf(alpha) };
  return { rgb: hslToRgb(parseFloat(first), parseFloat(second), parseFloat(third)), alpha: alphaOf(alpha) };
}

/** What a browser paints for a colour: 8-bit sRGB channels, and how far each may be off. */
export interface Paint {
  readonly rgb: Rgb;
  /** 1 where the colour is not opaque: Chromium stores alpha in 8 bits and blends with it. */
  readonly tolerance: number;
}

/**
 * The colour a browser paints for a page background of `colour`: its sRGB channels, composited
 * over the white canvas when it is not opaque, rounded to 8 bits per channel.
 */
export function paintedColour(colour: string): Paint {
  const { rgb, alpha } = parseCssColour(colour);
  return {
    rgb: rgb.map((value) => Math.round(value * alpha + 255 * (1 - alpha))) as unknown as Rgb,
    tolerance: alpha < 1 ? 1 : 0,
  };
}

/** Whether a pixel shows the paint. */
export function showsPaint(pixel: Rgb, paint: Paint): boolean {
  return pixel.every((value, index) => Math.abs(value - paint.rgb[index]) <= paint.tolerance);
}
