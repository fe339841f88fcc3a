/**
 * XLSX reading with SheetJS (@e965/xlsx, the 0.20.3 release republished on npm): first sheet only, cells as
 * the text a person sees, except dates which become `YYYY-MM-DD` whatever the cell's display format.
 */
import * as XLSX from '@e965/xlsx';
import type { RawRow } from './types';

interface DateCode {
  y: number;
  m: number;
  d: number;
}
/** The two SheetJS number-format helpers we use (typed `any` by the package). */
const ssf = XLSX.SSF as {
  is_date(format: string): boolean;
  parse_date_code(serial: number, opts?: { date1904?: boolean }): DateCode | null;
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A workbook whose first sheet could be read, or the French reason it could not. */
export type XlsxRead = { ok: true; headerLine: number; rows: RawRow[] } | { ok: false; reason: string };

function cellText(cell: XLSX.CellObject | undefined, date1904: boolean): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  if (cell.t === 'd' && cell.v instanceof Date) {
    const d = cell.v;
    return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }
  if (cell.t === 'n' && typeof cell.v === 'number' && typeof cell.z === 'string' && ssf.is_date(cell.z)) {
    const code = cell.v >= 1 ? ssf.parse_date_code(cell.v, { date1904 }) : null;
    if (code) return `${pad(code.y, 4)}-${pad(code.m)}-${pad(code.d)}`;
  }
  if (cell.t === 's' && typeof cell.v === 'string') return cell.v;
  if (typeof cell.w === 'string') return cell.w;
  try {
    return XLSX.utils.format_cell(cell);
  } catch {
    return String(cell.v);
  }
}

/**
 * Reads the first sheet of a workbook (XLSX, and whatever else SheetJS opens: XLS, ODS).
 * Each row's `line` is its spreadsheet row number (1-based), so empty rows still count; `headerLine` is the
 * sheet's first used row. Numbers come as displayed by SheetJS (English-style decimals, e.g. `15.50 €`).
 * Never throws: a damaged, encrypted or empty workbook gives `{ ok: false, reason }`.
 */
export function readXlsxRows(bytes: Uint8Array): XlsxRead {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: 'array', cellNF: true, dense: false });
  } catch {
    return { ok: false, reason: "le classeur est endommagé ou protégé par un mot de passe" };
  }
  const name = wb.SheetNames[0];
  const ws = name === undefined ? undefined : wb.Sheets[name];
  const ref = ws?.['!ref'];
  if (!ws || !ref) return { ok: false, reason: 'la première feuille du classeur est vide' };
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  const range = XLSX.utils.decode_range(ref);
  // `!ref` may claim a million formatted but empty rows: read only up to the last cell that holds a value.
  let lastRow = range.s.r - 1;
  let lastCol = range.s.c - 1;
  for (const key of Object.keys(ws)) {
    if (key.startsWith('!')) continue;
    const cell = ws[key] as XLSX.CellObject | undefined;
    if (!cell || cell.v === undefined || cell.v === null || cell.v === '') continue;
    const { r, c } = XLSX.utils.decode_cell(key);
    lastRow = Math.max(lastRow, r);
    lastCol = Math.max(lastCol, c);
  }
  const rows: RawRow[] = [];
  for (let r = range.s.r; r <= lastRow; r++) {
    const cells: string[] = [];
    for (let c = range.s.c; c <= lastCol; c++) {
      const cell = ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
      cells.push(cellText(cell, date1904));
    }
    rows.push({ line: r + 1, cells });
  }
  return { ok: true, headerLine: range.s.r + 1, rows };
}
