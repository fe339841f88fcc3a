/**
 * The pure parsing half of people imports: read a CSV/XLSX file, recognise its shape, suggest a column
 * mapping, normalise French data into `PersonInput` records, and compute matching keys. No database here.
 */
export { readTable } from './readTable';
export { detectShape } from './shape';
export { suggestMapping } from './mapping';
export { createRowNormalizer, normalizeRecords, type RowNormalizer } from './normalize';
export { normalizeForMatch, personMatchKeys, isSamePerson, mergeFill } from './matching';
export { personChanges } from './diff';
export { parseFrenchDate, resolveTwoDigitYear } from './dates';
export { parseAmountCents, normalizePhone, normalizeEmail, parseCivility, normalizePostalCode } from './values';
export { cleanName, splitFullNameLastFirst, titleCase } from './names';
export type { RawTable, RawRow, ImportRecord, ImportPayment, NormalizeOptions, NormalizeResult } from './types';
