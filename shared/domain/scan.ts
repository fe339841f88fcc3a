/**
 * Scanners and scan sessions (docs/scanning.md): the shapes shared by the core, the window and the CLI.
 * A scanner id names its kind and its address: `escl:URL` (an eSCL / AirScan root, e.g. `escl:http://192.168.1.20/eSCL`),
 * `sane:DEVICE` (a SANE device name as `scanimage -L` prints it), `wia:ID` (a Windows WIA device id).
 */
import { z } from 'zod';

export const SCAN_SOURCES = ['platen', 'feeder', 'duplex'] as const;
export const COLOR_MODES = ['color', 'gray', 'bw'] as const;
export const SCANNER_KINDS = ['escl', 'sane', 'wia'] as const;

/** Where pages come from: the glass (platen), the document feeder, or the feeder scanning both faces. */
export const scanSource = z.enum(SCAN_SOURCES);
export type ScanSource = z.infer<typeof scanSource>;
export const colorMode = z.enum(COLOR_MODES);
export type ColorMode = z.infer<typeof colorMode>;
export const scannerKind = z.enum(SCANNER_KINDS);
export type ScannerKind = z.infer<typeof scannerKind>;

/** `kind:rest`, 2 KiB at most, no control characters. The rest is checked by the driver of that kind. */
export const scannerId = z
  .string()
  .min(6)
  .max(2048)
  .regex(/^(escl|sane|wia):[^\u0000-\u001f\u007f]+$/, 'identifiant de scanner attendu (escl:URL, sane:APPAREIL ou wia:ID)');

export const scanner = z.object({ id: scannerId, name: z.string().max(300), kind: scannerKind, sources: z.array(scanSource) });
export type Scanner = z.infer<typeof scanner>;

export const scannerCapabilities = z.object({
  sources: z.array(scanSource),
  modes: z.array(colorMode),
  /** Dots per inch the scanner offers (same horizontally and vertically), ascending. */
  resolutions: z.array(z.number().int().positive()),
});
export type ScannerCapabilities = z.infer<typeof scannerCapabilities>;

/** One page of a scan session as the window sees it: its size in pixels and a small JPEG thumbnail. */
export const scanPage = z.object({
  pageId: z.string().uuid(),
  /** Order of arrival in the session, from 0. */
  index: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** `data:image/jpeg;base64,…`, at most 240 px high. */
  thumbnail: z.string().startsWith('data:image/jpeg;base64,'),
});
export type ScanPage = z.infer<typeof scanPage>;

/** What went wrong with a scan job, for the window to pick an icon; the French `message` says what to do. */
export const SCAN_FAILURE_CODES = ['busy', 'feederEmpty', 'jam', 'unreachable', 'coverOpen', 'other'] as const;
export const scanFailureCode = z.enum(SCAN_FAILURE_CODES);
export type ScanFailureCode = z.infer<typeof scanFailureCode>;

export const scanJobState = z.enum(['scanning', 'done', 'cancelled', 'failed']);
export type ScanJobState = z.infer<typeof scanJobState>;

/** A session holds at most this many pages (memory only). */
export const MAX_SESSION_PAGES = 500;
/** A page's turn, clockwise in degrees (applied by the core when the page is committed or read). */
export const pageRotation = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);
export type PageRotation = z.infer<typeof pageRotation>;
/** One page added by hand (camera capture, file): 50 MiB at most. */
export const MAX_SCAN_PAGE_BYTES = 50 * 1024 * 1024;
export const SCAN_DPI_MIN = 75;
export const SCAN_DPI_MAX = 1200;
