/**
 * PROVISIONAL (helper `sources`): the ScannerDriver interface of docs/scanning.md, written from the scanning
 * contract until the foundation commit lands; replaced by that commit's file at merge.
 */
export type ScanSource = 'platen' | 'feeder' | 'duplex';
export type ColorMode = 'color' | 'gray' | 'bw';
export interface Scanner { id: string; name: string; kind: 'escl' | 'sane' | 'wia'; sources: ScanSource[] }
export interface ScannerCapabilities { sources: ScanSource[]; modes: ColorMode[]; resolutions: number[] }
export interface ScanOptions { source: ScanSource; duplex?: boolean; dpi?: number; mode?: ColorMode }
export interface ScannedPage { bytes: Uint8Array; mime: string }
export type ScanErrorCode = 'busy' | 'feederEmpty' | 'jam' | 'unreachable' | 'coverOpen' | 'other';

/** A scan that failed, with a French message saying what to do and a code for the `scan:job` event. */
export class ScanError extends Error {
  constructor(public readonly code: ScanErrorCode, message: string) {
    super(message);
    this.name = 'ScanError';
  }
}

export interface ScannerDriver {
  list(): Promise<Scanner[]>;
  capabilities(id: string): Promise<ScannerCapabilities>;
  scan(id: string, options: ScanOptions, signal: AbortSignal): AsyncIterable<ScannedPage>;
}
