/**
 * Shapes shared by the pure parsing half of people imports (no database here).
 * The flow is: bytes → `readTable` → `detectShape` / `suggestMapping` → `normalizeRecords` → records ready to match.
 */
import type { PersonInput, PersonKind } from '../../../shared/domain/person';
import type { ImportIssue, ImportWarning } from '../../../shared/domain/imports';

export type TableFormat = 'csv' | 'xlsx';
export type TableEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';
export type TableSeparator = ';' | ',' | '\t';

/** One record of the file: `line` is the 1-based physical line (or spreadsheet row) where the record starts. */
export interface RawRow {
  line: number;
  cells: string[];
}

/**
 * A file read as text cells, before any interpretation.
 * `encoding` and `separator` are null for XLSX. `headers` come from the header line (line 1), trimmed;
 * an empty header cell becomes `Colonne N` (N 1-based). Blank records are not in `rows`.
 */
export interface RawTable {
  format: TableFormat;
  encoding: TableEncoding | null;
  separator: TableSeparator | null;
  headers: string[];
  rows: RawRow[];
}

/** A payment read from the same row (HelloAsso payments, a treasurer's dues column). Amount in integer cents. */
export interface ImportPayment {
  /** `YYYY-MM-DD`, or null when the row has none or it was invalid. */
  date: string | null;
  amountCents: number | null;
}

/** A row turned into a person ready for `personInput`-checked storage, with its payment if any. */
export interface ImportRecord {
  line: number;
  person: PersonInput;
  payment: ImportPayment | null;
}

export interface NormalizeOptions {
  /** Today as `YYYY-MM-DD`: two-digit years are resolved against it, birth dates after it are refused. */
  today: string;
  /** Kinds given to every imported person; default `['member']`. */
  defaultKinds?: PersonKind[];
}

export interface NormalizeResult {
  /** Number of non-blank records in the file (the header excluded). */
  rows: number;
  records: ImportRecord[];
  /** Rows that gave no record (one issue per such row). */
  errors: ImportIssue[];
  /** Values left empty in a record that was kept; `field` is the person field (`birthDate`, `email`…), or `amount`/`paymentDate`. */
  warnings: ImportWarning[];
}
