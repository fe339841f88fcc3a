/**
 * Text encoding of imported CSV files. French associations meet three in practice: UTF-8 with a BOM (HelloAsso,
 * Excel's "CSV UTF-8"), UTF-8 without BOM (Paheko, LibreOffice) and Windows-1252 (Excel's plain "CSV" on Windows).
 */
import iconv from 'iconv-lite';
import type { TableEncoding } from './types';

export interface DecodedText {
  encoding: TableEncoding;
  /** The text without its BOM. */
  text: string;
}

/** What a UTF-16 file starts with (Excel's "Texte Unicode" export): recognised only to refuse it clearly. */
export function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/**
 * Detects the encoding and decodes.
 * Order: a UTF-8 BOM (EF BB BF) → `utf-8-bom`; bytes that a strict (fatal) UTF-8 decoder accepts → `utf-8`;
 * anything else → `windows-1252`, decoded with iconv-lite (0x80 → €, 0x85 → …, 0x92 → ’, 0x9C → œ).
 * Never throws: every byte sequence is valid Windows-1252 (undefined bytes map to controls); the caller
 * decides whether the result looks like text.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { encoding: 'utf-8-bom', text: new TextDecoder('utf-8').decode(bytes.subarray(3)) };
  }
  try {
    return { encoding: 'utf-8', text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { encoding: 'windows-1252', text: iconv.decode(Buffer.from(bytes), 'windows-1252') };
  }
}

/**
 * True when decoded text looks like binary data rather than a table: a NUL character, or more than 1 % of
 * control characters other than tab, CR and LF (U+0080–U+009F included, which real text never has).
 */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const limit = Math.max(2, text.length / 100);
  let controls = 0;
  // A regular expression scans a 20 MB export several times faster than a charCodeAt loop.
  const control = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]/g;
  while (control.exec(text) !== null) if (++controls > limit) return true;
  return false;
}
