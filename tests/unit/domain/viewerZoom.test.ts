/** The viewer's zoom and rotation rules (renderer/features/vault/zoom.ts). */
import { describe, expect, it } from 'vitest';
import { REAL_SIZE, ZOOM_STEPS, percentOf, rotate, scaleFor, zoomIn, zoomOut } from '../../../renderer/features/vault/zoom';

const A4 = { width: 595, height: 842 };

describe('viewer zoom', () => {
  it('fits the width or the whole page of the view, and a percentage is of the real size', () => {
    const box = { width: 832, height: 632 };
    expect(scaleFor({ kind: 'fitWidth' }, A4, box)).toBeCloseTo(800 / 595);
    expect(scaleFor({ kind: 'fitPage' }, A4, box)).toBeCloseTo(600 / 842);
    expect(scaleFor({ kind: 'fitPage' }, { width: 842, height: 595 }, box)).toBeCloseTo(800 / 842);
    expect(scaleFor({ kind: 'percent', percent: 150 }, A4, box)).toBeCloseTo(1.5 * REAL_SIZE);
    expect(percentOf(1.5 * REAL_SIZE)).toBe(150);
    // A scan assembled at its pixel size (3,508 points wide) still fits, below the smallest step; a stamp stops at 400 %.
    expect(scaleFor({ kind: 'fitWidth' }, { width: 3508, height: 4961 }, box)).toBeCloseTo(800 / 3508);
    expect(percentOf(scaleFor({ kind: 'fitWidth' }, { width: 50, height: 50 }, box))).toBe(400);
  });

  it('steps in and out through the list, from any percentage, and stops at both ends', () => {
    expect(zoomIn(100)).toEqual({ kind: 'percent', percent: 110 });
    expect(zoomOut(100)).toEqual({ kind: 'percent', percent: 90 });
    expect(zoomIn(137)).toEqual({ kind: 'percent', percent: 150 });
    expect(zoomOut(137)).toEqual({ kind: 'percent', percent: 125 });
    expect(zoomIn(400)).toEqual({ kind: 'percent', percent: 400 });
    expect(zoomOut(25)).toEqual({ kind: 'percent', percent: 25 });
    expect(ZOOM_STEPS).toContain(100);
  });

  it('turns by quarter turns, both ways', () => {
    expect(rotate(0, 90)).toBe(90);
    expect(rotate(270, 90)).toBe(0);
    expect(rotate(0, -90)).toBe(270);
  });
});
