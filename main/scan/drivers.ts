/**
 * The scanner drivers of this PC (docs/scanning.md "Sources"), in the order their scanners are listed. Each source
 * adds its driver here; the eSCL driver remembers addresses typed by hand in the device preferences. SANE is offered
 * on Linux and macOS where `scanimage` is installed, WIA on Windows: a driver that is not available here is left out,
 * so its ids answer UNSUPPORTED.
 */
import type { Preferences } from '../core/ports';
import type { ScannerDriver } from './types';
import { EsclDriver } from './escl/driver';
import { SaneDriver } from './sane/driver';
import { WiaDriver } from './wia/driver';

export function defaultScanDrivers(prefs: Preferences): ScannerDriver[] {
  const drivers: ScannerDriver[] = [new EsclDriver({ prefs })];
  const sane = new SaneDriver();
  if (sane.available()) drivers.push(sane);
  const wia = new WiaDriver();
  if (wia.available()) drivers.push(wia);
  return drivers;
}
