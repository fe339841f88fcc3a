/**
 * The last scanner settings used on this PC (scanner, source, colour mode, resolution), so that the next session
 * starts with them. Kept in the window's local storage — per PC and per system user, never in the association's
 * database (a scanner belongs to the office, not to the association's data) and never synced. Nothing personal is
 * in it: a scanner id is `escl:URL`, `sane:DEVICE` or `wia:ID` (shared/contract/scan.ts).
 */
import { z } from 'zod';
import type { ColorMode, ScannerCapabilities, ScanSource } from '../../../shared/domain/scan';

export const SCAN_CHOICE_KEY = 'solidariciel.scan.choice';

export interface ScanChoice {
  scannerId: string;
  source: ScanSource;
  mode: ColorMode;
  dpi: number;
}

const stored = z.object({
  scannerId: z.string().min(1).max(2048),
  source: z.enum(['platen', 'feeder', 'duplex']),
  mode: z.enum(['color', 'gray', 'bw']),
  dpi: z.number().int().min(50).max(2400),
});

/** Where the choice is kept: `localStorage` in the window, a Map-backed stand-in in tests. */
export type ChoiceStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The remembered choice, or null when there is none or it is unreadable (then the defaults apply). */
export function readScanChoice(storage: ChoiceStorage | undefined): ScanChoice | null {
  try {
    const raw = storage?.getItem(SCAN_CHOICE_KEY);
    if (!raw) return null;
    const parsed = stored.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Remembers `choice` for the next session; a full or refused storage only loses the memory, never the scan. */
export function saveScanChoice(storage: ChoiceStorage | undefined, choice: ScanChoice): void {
  try {
    storage?.setItem(SCAN_CHOICE_KEY, JSON.stringify(choice));
  } catch {
    // Private mode or quota: the next session starts with the defaults.
  }
}

/** Office defaults for papers: the feeder when there is one (several pages at once), grey, 300 dpi (readable by OCR). */
const PREFERRED_SOURCES: ScanSource[] = ['feeder', 'platen', 'duplex'];
const PREFERRED_MODES: ColorMode[] = ['gray', 'color', 'bw'];
const PREFERRED_DPI = 300;

/**
 * The settings to show for a scanner with `caps`: the remembered ones where the scanner offers them (only if
 * `remembered` is for this scanner), else the office defaults, else the scanner's first offer. The resolution is
 * the nearest the scanner offers.
 */
export function settingsFor(caps: ScannerCapabilities, remembered: ScanChoice | null, scannerId: string): Omit<ScanChoice, 'scannerId'> {
  const mine = remembered?.scannerId === scannerId ? remembered : null;
  const pick = <T>(offered: readonly T[], wanted: T | undefined, preferred: readonly T[], fallback: T): T =>
    wanted !== undefined && offered.includes(wanted) ? wanted : (preferred.find((p) => offered.includes(p)) ?? offered[0] ?? fallback);
  const source = pick(caps.sources, mine?.source, PREFERRED_SOURCES, 'platen');
  const mode = pick(caps.modes, mine?.mode, PREFERRED_MODES, 'gray');
  const target = mine?.dpi ?? PREFERRED_DPI;
  const dpi = caps.resolutions.length ? caps.resolutions.reduce((best, r) => (Math.abs(r - target) < Math.abs(best - target) ? r : best)) : PREFERRED_DPI;
  return { source, mode, dpi };
}
