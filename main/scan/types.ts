/**
 * What every scanner driver offers the core (docs/scanning.md "Sources"): eSCL over the network, SANE through
 * `scanimage`, WIA through PowerShell. A driver knows the scanners of its kind, reads their capabilities and scans to a
 * stream of page images; it never touches the disk with page contents (they are personal data).
 */
import { AppError } from '../../shared/domain/errors';
import type { ColorMode, Scanner, ScannerCapabilities, ScannerKind, ScanFailureCode, ScanSource } from '../../shared/domain/scan';

/** How to scan: `source` `duplex` is the feeder scanning both faces (same as `feeder` with `duplex: true`). */
export interface ScanOptions {
  source: ScanSource;
  duplex: boolean;
  /** Dots per inch, both directions. */
  dpi: number;
  mode: ColorMode;
}

/** One scanned page as the scanner sent it: an image (JPEG, PNG, TIFF…) or a PDF of one or more pages. */
export interface ScannedImage {
  bytes: Uint8Array;
  /** `image/jpeg`, `image/png`, `image/tiff` or `application/pdf`. */
  mime: string;
}

export interface ScannerDriver {
  readonly kind: ScannerKind;
  /**
   * The scanners of this kind found now (network browse, remembered addresses, local devices). `refresh` asks for a
   * fresh browse instead of the last answer. Never throws for an absent tool: an empty list.
   */
  list(refresh?: boolean): Promise<Scanner[]>;
  /** Reads what the scanner `id` (a full id, `kind:…`) offers. Throws ScanFailure when it cannot be read. */
  capabilities(id: string): Promise<ScannerCapabilities>;
  /**
   * Scans with `options`, yielding each page as it arrives. Aborting `signal` cancels the job on the scanner (eSCL
   * `DELETE`, killing `scanimage`…) and ends the iteration without an error. Failures throw ScanFailure.
   */
  scan(id: string, options: ScanOptions, signal: AbortSignal): AsyncIterable<ScannedImage>;
  /** Remembers a scanner typed by hand (eSCL only); others throw UNSUPPORTED. */
  add?(address: string): Promise<Scanner>;
  /** Forgets a remembered scanner; unknown ids are ignored. */
  forget?(id: string): Promise<void>;
}

/**
 * A scanner failed in a way the person at the desk can act on: `reason` picks the icon, the message (French) says what
 * to do. Crosses the contract as the SCANNER error code.
 */
export class ScanFailure extends AppError {
  constructor(
    readonly reason: ScanFailureCode,
    message: string,
  ) {
    super('SCANNER', message, { reason });
    this.name = 'ScanFailure';
  }
}

/** The French message of each failure, when the driver has nothing more precise to say. */
export const SCAN_FAILURE_MESSAGES: Record<ScanFailureCode, string> = {
  busy: 'Le scanner est occupé (une autre numérisation ou une copie est en cours). Attendez quelques secondes puis relancez.',
  feederEmpty: "Le chargeur est vide : posez les pages face vers le haut dans le chargeur, puis relancez (ou choisissez la vitre).",
  jam: 'Bourrage papier : ouvrez le capot du chargeur, retirez la feuille coincée, puis relancez la numérisation.',
  unreachable: "Le scanner ne répond pas : vérifiez qu'il est allumé et branché au même réseau que ce PC, puis réessayez.",
  coverOpen: 'Le capot du scanner est ouvert : refermez-le, puis relancez la numérisation.',
  other: "Le scanner a refusé la numérisation. Vérifiez son écran, puis réessayez ; si cela persiste, redémarrez-le.",
};

/** A ScanFailure with the standard message of `reason`. */
export function scanFailure(reason: ScanFailureCode, message = SCAN_FAILURE_MESSAGES[reason]): ScanFailure {
  return new ScanFailure(reason, message);
}
