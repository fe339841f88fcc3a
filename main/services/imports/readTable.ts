/**
 * Entry point of the reading step: bytes of a CSV or XLSX file → a `RawTable` of text cells.
 */
import { AppError } from '../../../shared/domain/errors';
import { decodeText, hasUtf16Bom, looksBinary } from './encoding';
import { detectSeparator, isBlankRecord, parseCsvRecords } from './csv';
import { readXlsxRows } from './xlsx';
import type { RawRow, RawTable } from './types';

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}
/** OLE2 compound file: legacy `.xls` (or an encrypted `.xlsx`). */
function isCompoundFile(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

function unreadable(fileName: string, reason: string): AppError {
  return new AppError('IMPORT_UNREADABLE', `Le fichier « ${fileName} » est illisible : ${reason}.`, { fileName });
}

/**
 * Keeps non-blank records after the header, every row padded or cut to the table's width: the header's width,
 * widened to the last column that holds a value. Empty header cells become `Colonne N`.
 */
function toTable(
  fileName: string,
  records: RawRow[],
  base: Pick<RawTable, 'format' | 'encoding' | 'separator'>,
): RawTable {
  const headerIndex = records.findIndex((r) => !isBlankRecord(r.cells));
  const headerRow = records[headerIndex];
  if (!headerRow) throw unreadable(fileName, 'aucune ligne d’en-tête n’a été trouvée (fichier vide)');
  const dataRows = records.slice(headerIndex + 1).filter((r) => !isBlankRecord(r.cells));
  const lastFilled = (cells: string[]) => {
    for (let i = cells.length - 1; i >= 0; i--) if ((cells[i] ?? '').trim() !== '') return i;
    return -1;
  };
  let width = lastFilled(headerRow.cells) + 1;
  for (const r of dataRows) {
    // Only a row longer than the width so far can widen it.
    if (r.cells.length > width) width = Math.max(width, lastFilled(r.cells) + 1);
  }
  const fit = (cells: string[]) => {
    if (cells.length === width) return cells;
    const out = cells.slice(0, width);
    for (let i = out.length; i < width; i++) out.push('');
    return out;
  };
  const headers = fit(headerRow.cells).map((h, i) => h.replace(/^\uFEFF/, '').trim() || `Colonne ${i + 1}`);
  return { ...base, headers, rows: dataRows.map((r) => ({ line: r.line, cells: fit(r.cells) })) };
}

/**
 * Reads an imported file into text cells.
 *
 * - Format: XLSX when the bytes start with the zip magic `PK\x03\x04` (or the OLE2 magic of legacy `.xls`) or the
 *   name ends in `.xlsx`/`.xls`/`.ods`; CSV otherwise.
 * - CSV: encoding `utf-8-bom` | `utf-8` (strict decoder) | `windows-1252` (iconv-lite); separator `;`, tab or `,`
 *   counted on the header line outside quotes; records split by papaparse.
 * - XLSX: first sheet; cell values as displayed, date cells as `YYYY-MM-DD`; `encoding`/`separator` are null.
 * - `rows[].line` is the 1-based physical line (CSV) or spreadsheet row (XLSX) where the record starts; the header
 *   is the first non-blank record (line 1 in ordinary files). Blank records (empty line, separators only, spaces
 *   only) are dropped but still counted in line numbers.
 *
 * @throws AppError `IMPORT_UNREADABLE` (French message naming `fileName` and the reason) for an empty file,
 *   binary data, a UTF-16 text, a damaged or protected workbook, or a file without any header line.
 */
export function readTable(fileName: string, bytes: Uint8Array): RawTable {
  if (bytes.length === 0) throw unreadable(fileName, 'il est vide (0 octet)');
  const lower = fileName.toLowerCase();
  if (isZip(bytes) || isCompoundFile(bytes) || /\.(xlsx|xls|ods)$/.test(lower)) {
    const read = readXlsxRows(bytes);
    if (!read.ok) throw unreadable(fileName, read.reason);
    return toTable(fileName, read.rows, { format: 'xlsx', encoding: null, separator: null });
  }
  if (hasUtf16Bom(bytes)) {
    throw unreadable(
      fileName,
      'il est en UTF-16 (« Texte Unicode » d’Excel) ; enregistrez-le au format « CSV UTF-8 » ou en classeur .xlsx',
    );
  }
  const { encoding, text } = decodeText(bytes);
  if (looksBinary(text)) {
    throw unreadable(fileName, 'ce n’est ni un fichier texte CSV ni un classeur Excel (contenu binaire)');
  }
  const separator = detectSeparator(text);
  return toTable(fileName, parseCsvRecords(text, separator), { format: 'csv', encoding, separator });
}
