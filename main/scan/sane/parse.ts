/**
 * Pure readers of `scanimage`'s answers (SANE 1.x frontends, run with `LC_ALL=C` so that the texts are English):
 * the device list (`scanimage -L`), a device's options (`scanimage -d DEV -A`), and a failed scan's exit status.
 * Option names and values follow the SANE standard's well-known options (`source`, `mode`, `resolution`:
 * https://sane-project.gitlab.io/standard/1.06/ §4.5); their VALUES are each backend's own words, mapped here to the
 * contract's sources and modes (docs/scanning.md « SANE »).
 */
import type { ColorMode, ScanFailureCode, ScannerCapabilities, ScanSource } from '../../../shared/domain/scan';

/** One device of `scanimage -L`: its SANE name (`test:0`, `airscan:e0:Brother…`) and a readable label. */
export interface SaneDevice {
  device: string;
  name: string;
}

/** Reads `scanimage -L`: lines `device \`NAME' is a VENDOR MODEL TYPE`; anything else (the « No scanners » text) is ignored. */
export function parseDeviceList(stdout: string): SaneDevice[] {
  const out: SaneDevice[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^device [`'](.+)' is an? (.+)$/.exec(line.trim());
    if (m && m[1] && m[2]) out.push({ device: m[1], name: m[2].trim() });
  }
  return out;
}

/** A device's capabilities plus the backend's own words for each, needed to build the scan command. */
export interface SaneOptions extends ScannerCapabilities {
  /** The backend's `--source` value for each contract source (absent when the device has no `--source` option). */
  sourceValues: Partial<Record<ScanSource, string>>;
  /** The backend's `--mode` value for each contract mode. */
  modeValues: Partial<Record<ColorMode, string>>;
}

/** Resolutions offered when the backend gives a range (`1..1200dpi`): the usual ones within it. */
const USUAL_DPI = [75, 100, 150, 200, 240, 300, 400, 600, 1200];

/** Maps a backend's source name to a contract source: `Flatbed` → platen, `ADF`… → feeder, `ADF Duplex` → duplex. */
export function sourceOf(value: string): ScanSource | null {
  const v = value.toLowerCase();
  if (v.includes('duplex')) return 'duplex';
  if (v.includes('adf back')) return null; // the back side alone is not a source we offer
  if (v.includes('adf') || v.includes('feeder') || v.includes('automatic document')) return 'feeder';
  if (v.includes('flatbed') || v.includes('platen') || v === 'normal' || v.includes('glass')) return 'platen';
  return null;
}

/** Maps a backend's mode name to a contract mode: `Color` → color, `Gray` → gray, `Lineart`/`Halftone` → bw. */
export function modeOf(value: string): ColorMode | null {
  const v = value.toLowerCase();
  if (v.includes('colo')) return 'color';
  if (v.includes('gray') || v.includes('grey')) return 'gray';
  if (v.includes('lineart') || v.includes('binary') || v.includes('black') || v.includes('halftone') || v.includes('monochrome')) return 'bw';
  return null;
}

/** The values of one `-A` option line: `--mode Gray|Color [Gray]` → [`Gray`, `Color`]; `[inactive]`: null. */
function optionLine(text: string, option: string): { values: string[]; range: [number, number] | null } | null {
  const re = new RegExp(`^\\s*--${option}(?:\\[=\\(|\\s+)(.+?)\\s+\\[([^\\]]*)\\]\\s*$`, 'm');
  const m = re.exec(text);
  if (!m || !m[1] || m[2] === 'inactive') return null;
  const spec = m[1].replace(/\)\]$/, '').trim();
  const range = /^(\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?)/.exec(spec);
  if (range) return { values: [], range: [Number(range[1]), Number(range[2])] };
  return { values: spec.replace(/(dpi|mm|%)$/, '').split('|').map((s) => s.trim()).filter(Boolean), range: null };
}

/**
 * Reads `scanimage -d DEV -A`. A device without a `--source` option is a platen; without `--mode` it is taken as
 * colour; without `--resolution`, 300 dpi.
 */
export function parseOptions(text: string): SaneOptions {
  const sourceValues: Partial<Record<ScanSource, string>> = {};
  const src = optionLine(text, 'source');
  for (const v of src?.values ?? []) {
    const s = sourceOf(v);
    if (s && !sourceValues[s]) sourceValues[s] = v;
  }
  const sources: ScanSource[] = src ? (['platen', 'feeder', 'duplex'] as const).filter((s) => sourceValues[s]) : ['platen'];
  const modeValues: Partial<Record<ColorMode, string>> = {};
  for (const v of optionLine(text, 'mode')?.values ?? []) {
    const m = modeOf(v);
    if (m && !modeValues[m]) modeValues[m] = v;
  }
  const modes = (['color', 'gray', 'bw'] as const).filter((m) => modeValues[m]);
  const res = optionLine(text, 'resolution');
  let resolutions: number[] = [300];
  if (res?.range) resolutions = USUAL_DPI.filter((d) => d >= res.range![0] && d <= res.range![1]);
  else if (res) resolutions = res.values.map(Number).filter((n) => Number.isInteger(n) && n > 0);
  if (resolutions.length === 0) resolutions = [300];
  return { sources: sources.length ? sources : ['platen'], modes: modes.length ? modes : ['color'], resolutions, sourceValues, modeValues };
}

/**
 * `scanimage` exits with the SANE status of the failure (SANE standard §4.3.7: 3 DEVICE_BUSY, 6 JAMMED, 7 NO_DOCS,
 * 8 COVER_OPEN, 9 IO_ERROR, 11 ACCESS_DENIED); its stderr says the same in words. Returns the contract's code and a
 * French sentence saying what to do.
 */
export function describeFailure(exitCode: number | null, stderr: string): { code: ScanFailureCode; message: string } {
  const e = stderr.toLowerCase();
  if (exitCode === 7 || e.includes('out of documents')) return { code: 'feederEmpty', message: 'Le chargeur du scanner est vide : posez les feuilles dans le chargeur, puis relancez la numérisation.' };
  if (exitCode === 6 || e.includes('jammed')) return { code: 'jam', message: 'Une feuille est coincée dans le scanner : retirez-la, remettez les pages non numérisées, puis relancez.' };
  if (exitCode === 8 || e.includes('cover is open')) return { code: 'coverOpen', message: 'Le capot du scanner est ouvert : fermez-le, puis relancez la numérisation.' };
  if (exitCode === 3 || e.includes('device busy')) return { code: 'busy', message: 'Le scanner est occupé (une autre numérisation ou une copie en cours) : attendez qu’il soit libre, puis relancez.' };
  if (e.includes('open of device') || e.includes('invalid argument') || e.includes('no such device') || exitCode === 11) {
    return { code: 'unreachable', message: 'Scanner introuvable ou inaccessible : vérifiez qu’il est allumé et branché, puis actualisez la liste des scanners.' };
  }
  return { code: 'other', message: 'La numérisation a échoué (erreur du pilote SANE) : vérifiez le scanner, puis relancez.' };
}
