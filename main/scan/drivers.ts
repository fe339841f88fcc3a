/**
 * The scanner drivers of this PC (docs/scanning.md "Sources"), in the order their scanners are listed. Each source
 * adds its driver here; the eSCL driver remembers addresses typed by hand in the device preferences.
 */
import type { Preferences } from '../core/ports';
import type { ScannerDriver } from './types';
import { EsclDriver } from './escl/driver';

export function defaultScanDrivers(prefs: Preferences): ScannerDriver[] {
  return [new EsclDriver({ prefs })];
}
