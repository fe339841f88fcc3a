/**
 * The geometry of a camera capture (./CameraCapture.tsx): the crop rectangle from four margins, and where the cropped
 * picture lands once turned by a quarter-turn multiple. Pure, so that it is tested without a camera or a canvas.
 */

/** Margins cut from each side, in percent of the picture's width (left, right) or height (top, bottom). */
export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const NO_MARGINS: Margins = { top: 0, right: 0, bottom: 0, left: 0 };

/** Each margin at most this percentage, so that at least a tenth of the picture is kept in each direction. */
export const MAX_MARGIN = 45;

/** A margin as typed (text or number): a finite number clamped to 0…MAX_MARGIN; anything else is 0. */
export function clampMargin(value: number | string): number {
  const n = typeof value === 'number' ? value : Number(String(value).replace(',', '.'));
  if (!Number.isFinite(n)) return 0;
  return Math.min(MAX_MARGIN, Math.max(0, n));
}

/**
 * The kept rectangle of a `width` × `height` picture (pixels, integers, never empty) once `margins` are cut.
 * Throws RangeError on a picture without pixels.
 */
export function cropRect(width: number, height: number, margins: Margins): { x: number; y: number; width: number; height: number } {
  if (!(width > 0 && height > 0)) throw new RangeError(`image vide (${width} × ${height})`);
  const m = { top: clampMargin(margins.top), right: clampMargin(margins.right), bottom: clampMargin(margins.bottom), left: clampMargin(margins.left) };
  const x = Math.round((width * m.left) / 100);
  const y = Math.round((height * m.top) / 100);
  const right = Math.round((width * (100 - m.right)) / 100);
  const bottom = Math.round((height * (100 - m.bottom)) / 100);
  return { x, y, width: Math.max(1, right - x), height: Math.max(1, bottom - y) };
}

/**
 * The canvas size for a `width` × `height` picture turned by `rotation` degrees clockwise (0, 90, 180, 270), and the
 * 2D transform that draws the picture there: translate to (dx, dy), then rotate by `rotation`.
 */
export function rotatedCanvas(width: number, height: number, rotation: 0 | 90 | 180 | 270): { width: number; height: number; dx: number; dy: number; radians: number } {
  const sideways = rotation === 90 || rotation === 270;
  const out = sideways ? { width: height, height: width } : { width, height };
  const origin = { 0: [0, 0], 90: [height, 0], 180: [width, height], 270: [0, width] }[rotation];
  return { ...out, dx: origin[0]!, dy: origin[1]!, radians: (rotation * Math.PI) / 180 };
}
