/**
 * Builds the `scanimage` arguments of one scan (pure; docs/scanning.md « SANE »): `-d DEV`, the backend's own words
 * for `--source` and `--mode` (main/scan/sane/parse.ts), `--resolution`, `--format`; for the feeder
 * `--batch=DIR/page-%04d.EXT --batch-print` (one file per page, its name printed on stdout once written).
 */
import { SCAN_DPI_MAX, SCAN_DPI_MIN } from '../../../shared/domain/scan';
import { ScanFailure, type ScanOptions } from '../types';
import type { SaneOptions } from './parse';

export type SaneFormat = 'png' | 'tiff' | 'pnm';

/**
 * @param dir the private folder for feeder pages (null for the platen: one page on stdout).
 * @throws ScanFailure('other') when the device lacks the requested source, mode or resolution (French, naming it).
 */
export function buildScanArgs(device: string, options: SaneOptions, request: ScanOptions, format: SaneFormat, dir: string | null): string[] {
  const args = ['-d', device];
  const wanted = request.source === 'feeder' && request.duplex ? 'duplex' : request.source;
  const hasSourceOption = Object.keys(options.sourceValues).length > 0;
  if (hasSourceOption) {
    const value = options.sourceValues[wanted];
    if (!value) throw new ScanFailure('other', `Ce scanner n’offre pas ${wanted === 'platen' ? 'de vitre' : wanted === 'feeder' ? 'de chargeur' : 'le recto verso'} : choisissez une autre source.`);
    args.push(`--source=${value}`);
  } else if (wanted !== 'platen') {
    throw new ScanFailure('other', 'Ce scanner n’a pas de chargeur : posez la page sur la vitre et choisissez « Vitre ».');
  }
  {
    const mode = options.modeValues[request.mode];
    if (!mode) throw new ScanFailure('other', `Ce scanner n’offre pas ce mode de couleur (${request.mode}) : choisissez-en un autre.`);
    args.push(`--mode=${mode}`);
  }
  {
    if (!Number.isInteger(request.dpi) || request.dpi < SCAN_DPI_MIN || request.dpi > SCAN_DPI_MAX) throw new ScanFailure('other', `Résolution refusée : ${request.dpi} ppp (entre ${SCAN_DPI_MIN} et ${SCAN_DPI_MAX}).`);
    args.push(`--resolution=${request.dpi}`);
  }
  args.push(`--format=${format}`);
  if (dir !== null) {
    if (wanted === 'platen') throw new ScanFailure('other', 'La vitre ne numérise qu’une page à la fois.');
    args.push(`--batch=${dir}/page-%04d.${format === 'tiff' ? 'tif' : format}`, '--batch-print');
  }
  return args;
}
