/**
 * Zoom and rotation of the viewer, as pure functions (docs/ui.md "The viewer"). A scale is CSS pixels per PDF point;
 * 100 % is the paper's real size on a 96 dpi screen (96/72 pixels per point, as browsers and pdf.js count it).
 */

/** How the pages are sized: to the width of the view, whole page in the view, or a fixed percentage. */
export type Zoom = { kind: 'fitWidth' } | { kind: 'fitPage' } | { kind: 'percent'; percent: number };

/** CSS pixels per PDF point at 100 %. */
export const REAL_SIZE = 96 / 72;
/** The percentages « + » and « − » go through. */
export const ZOOM_STEPS = [25, 33, 50, 67, 75, 90, 100, 110, 125, 150, 175, 200, 250, 300, 400] as const;
const MIN = ZOOM_STEPS[0];
const MAX = ZOOM_STEPS[ZOOM_STEPS.length - 1]!;
/** Room kept around a page in the view (its margin and the scroll bar), in CSS pixels. */
const GUTTER = 32;

/**
 * The scale of a page of `page` points (already turned) in a view of `box` CSS pixels. A fit mode fits whatever
 * the page's size (a scan assembled at its pixel size can be several metres wide in points, so below 25 %), up to
 * 400 %; a view not laid out yet (0 wide) counts as 800 × 600.
 */
export function scaleFor(zoom: Zoom, page: { width: number; height: number }, box: { width: number; height: number }): number {
  if (zoom.kind === 'percent') return (zoom.percent / 100) * REAL_SIZE;
  const width = Math.max((box.width || 800) - GUTTER, 50);
  const height = Math.max((box.height || 600) - GUTTER, 50);
  const fit = zoom.kind === 'fitWidth' ? width / page.width : Math.min(width / page.width, height / page.height);
  return Math.min(fit, (MAX / 100) * REAL_SIZE);
}

/** The percentage a scale shows, rounded. */
export const percentOf = (scale: number): number => Math.round((scale / REAL_SIZE) * 100);

/** The next step above `percent` (stays at the largest). */
export function zoomIn(percent: number): Zoom {
  return { kind: 'percent', percent: ZOOM_STEPS.find((s) => s > percent + 0.5) ?? MAX };
}

/** The next step below `percent` (stays at the smallest). */
export function zoomOut(percent: number): Zoom {
  return { kind: 'percent', percent: [...ZOOM_STEPS].reverse().find((s) => s < percent - 0.5) ?? MIN };
}

/** `rotation` turned by `delta` degrees (±90), kept in 0, 90, 180, 270. */
export const rotate = (rotation: number, delta: number): number => (((rotation + delta) % 360) + 360) % 360;
