/**
 * CSV reading: separator detection and record splitting with papaparse (quotes, doubled quotes, CRLF,
 * newlines inside quoted fields), each record tagged with the physical line where it starts.
 */
import Papa from 'papaparse';
import type { RawRow, TableSeparator } from './types';

const SEPARATORS: readonly TableSeparator[] = [';', '\t', ','];

/**
 * Picks the separator by counting `;`, tab and `,` in the first record (the header), outside double quotes,
 * so `"Nom; prénom"` or a quoted comment with a `;` does not count. Ties and zero counts prefer `;` (the
 * French Excel default), then tab, then `,`. Leading empty lines are skipped. A header spanning lines (quoted newline) is read to its real end.
 */
export function detectSeparator(text: string): TableSeparator {
  const counts = new Map<TableSeparator, number>(SEPARATORS.map((s) => [s, 0]));
  let inQuotes = false;
  const firstLine = /^[ \t]*(?:\r\n|\n|\r)/;
  let from = 0;
  for (let m = firstLine.exec(text); m; m = firstLine.exec(text.slice(from))) from += m[0].length;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      inQuotes = !inQuotes; // a doubled quote "" toggles twice: net effect nil
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      break;
    } else if (!inQuotes && (ch === ';' || ch === ',' || ch === '\t')) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  }
  let best: TableSeparator = ';';
  for (const s of SEPARATORS) if ((counts.get(s) ?? 0) > (counts.get(best) ?? 0)) best = s;
  return best;
}

/**
 * Splits CSV text (no BOM) into records with papaparse.
 * Line ends are unified first (`\r\n`, lone `\r` and `\n` all count as one break, also inside quoted fields,
 * whose values then hold `\n`), so a file mixing line ends is split where a person sees lines.
 * Returns every record, blank ones included, with `line` = 1 + the number of line breaks before the
 * record's first character (so the header is line 1 and a quoted newline pushes later records down).
 */
export function parseCsvRecords(text: string, separator: TableSeparator): RawRow[] {
  const unified = text.replace(/\r\n?/g, '\n');
  const rows: RawRow[] = [];
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(unified, {
    delimiter: separator,
    newline: '\n',
    quoteChar: '"',
    skipEmptyLines: false,
    step: (result) => {
      const end = result.meta.cursor;
      rows.push({ line, cells: result.data.map((c) => String(c ?? '')) });
      for (let i = start; i < end; i++) if (unified.charCodeAt(i) === 10) line++;
      start = end;
    },
  });
  return rows;
}

/** True when every cell is empty or whitespace: an empty line or a line of separators only. */
export function isBlankRecord(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}
