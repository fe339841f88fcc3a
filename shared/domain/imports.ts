/**
 * Imports of people from CSV and XLSX files (HelloAsso, Paheko, Galette exports, any spreadsheet).
 * Lines are numbered as in the file: the header is line 1; a record's line is the line where it starts
 * (a quoted field spanning two lines moves the next record down).
 */
import { z } from 'zod';
import { id } from './common';

/** The fields a column can be mapped to. `fullNameLastFirst` is Paheko's `Nom & prénom` ("LE GALL Joël"). */
export const IMPORT_FIELDS = [
  'civility',
  'firstName',
  'lastName',
  'fullNameLastFirst',
  'birthDate',
  'email',
  'phone',
  'phone2',
  'addressLine',
  'postalCode',
  'city',
  'country',
  'memberNumber',
  'membershipStart',
  'membershipEnd',
  'notes',
  'amount',
  'paymentDate',
] as const;
export const importField = z.enum(IMPORT_FIELDS);
export type ImportField = z.infer<typeof importField>;

export const IMPORT_SHAPES = ['helloasso', 'paheko', 'galette', 'spreadsheet'] as const;
export const importShape = z.enum(IMPORT_SHAPES);
export type ImportShape = z.infer<typeof importShape>;

/** One entry per column of the file, in file order: the field it fills, or null to ignore the column. */
export const columnMapping = z.array(importField.nullable());
export type ColumnMapping = z.infer<typeof columnMapping>;

export const importIssue = z.object({ line: z.number().int().positive(), message: z.string() });
export const importWarning = importIssue.extend({ field: z.string() });
export type ImportIssue = z.infer<typeof importIssue>;
export type ImportWarning = z.infer<typeof importWarning>;

/** What the mapping step shows before anything is written. */
export const importPreview = z.object({
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.enum(['utf-8', 'utf-8-bom', 'windows-1252']).nullable(),
  separator: z.enum([';', ',', '\t']).nullable(),
  shape: importShape,
  headers: z.array(z.string()),
  sampleRows: z.array(z.array(z.string())),
  columns: columnMapping,
  rowCount: z.number().int().nonnegative(),
});
export type ImportPreview = z.infer<typeof importPreview>;

/**
 * A field value as an import compares it: text (dates `YYYY-MM-DD`), the list of kinds for `kinds`, null when empty.
 */
export const importFieldValue = z.union([z.string(), z.array(z.string())]).nullable();
export type ImportFieldValue = z.infer<typeof importFieldValue>;

/** One field a known person gains: `field` is the person field (`phone`, `birthDate`, `kinds`…). */
export const importFieldChange = z.object({ field: z.string(), before: importFieldValue, after: importFieldValue });
export type ImportFieldChange = z.infer<typeof importFieldChange>;

/**
 * A person already stored whom the file completes: names as stored, `line` the first line of the file matching
 * them, every field before → after (all the file's rows for that person together), and whether the user left them
 * out (`excluded`: nothing of them is written).
 */
export const importUpdate = z.object({
  personId: id,
  firstName: z.string(),
  lastName: z.string(),
  line: z.number().int().positive(),
  changes: z.array(importFieldChange),
  excluded: z.boolean(),
});
export type ImportUpdate = z.infer<typeof importUpdate>;

/**
 * The outcome of an import (or of a dry run: nothing written, same counts). `updated` counts rows that completed a
 * person; `updates` lists the people already stored that the file completes (or would, when `excluded`), in file
 * order; `excluded` counts those left out.
 */
export const importReport = z.object({
  rows: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  excluded: z.number().int().nonnegative(),
  updates: z.array(importUpdate),
  /** Dues payments recorded from the file (HelloAsso exports; docs/treasury.md « HelloAsso »); 0 for a dry run. */
  payments: z.number().int().nonnegative().default(0),
  errors: z.array(importIssue),
  warnings: z.array(importWarning),
  dryRun: z.boolean(),
});
export type ImportReport = z.infer<typeof importReport>;
