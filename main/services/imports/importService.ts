/**
 * The database half of people imports: preview (what the mapping step shows) and run (match, fill, create).
 * Matching (issue "reception desk", §5): same e-mail (case-insensitive) or same last + first name (case- and
 * accent-insensitive) + birth date. A matched row only fills empty fields and never creates a duplicate, so
 * importing the same file twice changes nothing. The whole import is one transaction: all or nothing.
 * The report lists each person already stored that the file completes, field by field before → after; the people
 * the caller excludes (unticked in the wizard's preview) are left exactly as they are, and the rows matching them
 * create nobody (docs/ui.md « Import wizard »).
 *
 * Access (issue 3 §1): `people.import` and `people.write`. Matching sees only the people the user may see, and the
 * columns of field sets the user may not read (PERSON_FIELD_SETS) are ignored, as if the file did not have them: an
 * import neither writes what its author cannot read nor tells (through its counts) what is stored there. Audited
 * (import.run, counts only; dry runs write nothing and are not recorded).
 */
import type { ColumnMapping, ImportPreview, ImportReport, ImportUpdate } from '../../../shared/domain/imports';
import type { PersonInput, PersonKind } from '../../../shared/domain/person';
import type { Knex } from 'knex';
import type { InsertWriter, Mutator } from '../../db/mutations';
import { PeopleRepository, personToRow, rowToPersonInput } from '../../db/repositories/people';
import { today, type ServiceContext } from '../context';
import { hiddenFieldSets, peopleReader, withSetsFrom, type PersonFieldSet } from '../people/personAccess';
import { createRowNormalizer, detectShape, mergeFill, personChanges, personMatchKeys, readTable, suggestMapping, type RowNormalizer } from './index';
import type { RawRow } from './types';
import { recordImportedPayments, type PaidLine } from '../treasury/importedPayments';
import { recordImportedGifts } from '../treasury/importedGifts';

export type ImportProgress = (done: number, total: number) => void;

const SAMPLE_ROWS = 8;

export class ImportService {
  constructor(private readonly ctx: ServiceContext) {}

  private requireImport(): void {
    this.ctx.access.require('people.import');
    this.ctx.access.require('people.write');
  }

  /** Reads the file and proposes a mapping (`people.import`, `people.write`). Throws FORBIDDEN, IMPORT_UNREADABLE naming the file. */
  preview(fileName: string, bytes: Uint8Array): ImportPreview {
    this.requireImport();
    const table = readTable(fileName, bytes);
    const shape = detectShape(table.headers);
    return {
      fileName,
      format: table.format,
      encoding: table.encoding,
      separator: table.separator,
      shape,
      headers: table.headers,
      sampleRows: table.rows.slice(0, SAMPLE_ROWS).map((r) => r.cells),
      columns: suggestMapping(table.headers, shape),
      rowCount: table.rows.length,
    };
  }

  /**
   * Imports the file with the given mapping (or, with `dryRun`, computes the same report without writing).
   * `imported` counts people created, `updated` rows that completed a person, `unchanged` rows that added nothing.
   * `excludePersonIds`: people already stored that must stay as they are (their rows are skipped and reported in
   * `updates` with `excluded`, counted in `excluded`).
   *
   * Rows are normalised and matched a chunk at a time, and each full batch of new people is written before the next
   * chunk (the driver is synchronous; the event loop gets a turn after each batch). New people are
   * one Mutator insert write (bulk load when large, main/db/bulk.ts); a later row completing a person already
   * written, or a known person, is an update after it. Progress counts file rows.
   */
  async run(
    fileName: string,
    bytes: Uint8Array,
    columns: ColumnMapping,
    defaultKinds: PersonKind[],
    dryRun: boolean,
    progress?: ImportProgress,
    excludePersonIds: readonly string[] = [],
  ): Promise<ImportReport> {
    this.requireImport();
    const excluded = new Set(excludePersonIds);
    const table = readTable(fileName, bytes);
    const normalizer = createRowNormalizer(table, columns, { today: today(this.ctx.clock), defaultKinds });
    const hidden = hiddenFieldSets(this.ctx.access);
    const counts = dryRun
      ? await this.match(this.ctx.db, null, table.rows, normalizer, hidden, excluded, progress)
      : await this.ctx.db.transaction(async (trx) => {
          const c = await this.match(trx, this.ctx.mutator.with(trx), table.rows, normalizer, hidden, excluded, progress);
          // Payments of a HelloAsso export become dues payments (docs/treasury.md « HelloAsso »).
          const paid = detectShape(table.headers) === 'helloasso' ? await recordImportedPayments(trx, this.ctx, table.headers, c.paid()) : { payments: 0, warnings: [] };
          normalizer.warnings.push(...paid.warnings);
          // …and its gifts become gifts, flagged when HelloAsso issued their tax receipt (docs/treasury.md « Dons »).
          const gifts = detectShape(table.headers) === 'helloasso' ? await recordImportedGifts(trx, this.ctx, table.headers, c.paid()) : { gifts: 0, warnings: [] };
          normalizer.warnings.push(...gifts.warnings);
          const details = { rows: table.rows.length, imported: c.imported, updated: c.updated, unchanged: c.unchanged, excluded: c.excluded, errors: normalizer.errors.length, warnings: normalizer.warnings.length, ignoredFieldSets: hidden, payments: paid.payments, gifts: gifts.gifts };
          await this.ctx.audit({ action: 'import.run', targetType: 'import', targetId: null, details }, trx);
          return { ...c, payments: paid.payments };
        });
    progress?.(table.rows.length, table.rows.length);
    const { paid: _paid, ...report } = counts;
    return { rows: table.rows.length, payments: 0, ...report, errors: normalizer.errors, warnings: normalizer.warnings, dryRun };
  }

  /** Normalises, matches and (with a Mutator) writes, in file order. */
  private async match(
    db: Knex | Knex.Transaction,
    m: Mutator | null,
    rows: readonly RawRow[],
    normalizer: RowNormalizer,
    hidden: readonly PersonFieldSet[],
    excluded: ReadonlySet<string>,
    progress?: ImportProgress,
  ): Promise<{ imported: number; updated: number; unchanged: number; excluded: number; updates: ImportUpdate[]; paid: () => PaidLine[] }> {
    const byEmail = new Map<string, Target>();
    const byNameBirth = new Map<string, Target>();
    const index = (t: Target, k: MatchKeys) => {
      if (k.email && !byEmail.has(k.email)) byEmail.set(k.email, t);
      if (k.nameBirth && !byNameBirth.has(k.nameBirth)) byNameBirth.set(k.nameBirth, t);
    };
    const dirty: Target[] = [];
    /** Known people the file completes (or would, when excluded), in the order of their first matching row. */
    const touched: ExistingTarget[] = [];
    for (const row of await new PeopleRepository(db, peopleReader(this.ctx.access)).allRows()) {
      const person = rowToPersonInput(row);
      index({ kind: 'existing', id: row.id, person, original: person, line: 0, excluded: excluded.has(row.id), dirty: false }, personMatchKeys(person));
    }
    const writes = new ImportWrites(m);
    /** Rows carrying a payment, with the person they landed on (ids known once written). */
    const payments: { line: number; target: Target; payment: NonNullable<ReturnType<RowNormalizer['normalize']>>['payment']; cells: string[] }[] = [];
    let batch: NewTarget[] = [];
    let imported = 0;
    let updated = 0;
    let unchanged = 0;
    try {
      for (let start = 0; start < rows.length; start += CHUNK) {
        const end = Math.min(start + CHUNK, rows.length);
        for (let i = start; i < end; i++) {
          // The driver is synchronous: give the event loop a turn now and then (IPC replies, progress events).
          if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
          const record = normalizer.normalize(rows[i] as RawRow);
          if (!record) continue;
          if (hidden.length > 0) record.person = withSetsFrom(record.person, hidden);
          const keys = personMatchKeys(record.person);
          const target = (keys.email ? byEmail.get(keys.email) : undefined) ?? (keys.nameBirth ? byNameBirth.get(keys.nameBirth) : undefined);
          if (target && record.payment && !(target.kind === 'existing' && target.excluded)) payments.push({ line: record.line, target, payment: record.payment, cells: (rows[i] as RawRow).cells });
          if (!target) {
            const t: NewTarget = { kind: 'new', id: null, person: record.person, keys, written: false, dirty: false };
            if (record.payment) payments.push({ line: record.line, target: t, payment: record.payment, cells: (rows[i] as RawRow).cells });
            imported++;
            index(t, keys);
            batch.push(t);
            continue;
          }
          const { merged, changedFields } = mergeFill(target.person, record.person);
          if (changedFields.length === 0) {
            unchanged++;
            continue;
          }
          target.person = merged;
          if (target.kind === 'existing' && target.line === 0) {
            target.line = record.line;
            touched.push(target);
          }
          if (target.kind === 'existing' && target.excluded) {
            index(target, personMatchKeys(merged)); // later rows of the same person are left out too
            continue;
          }
          if ((target.kind === 'existing' || target.written) && !target.dirty) {
            target.dirty = true;
            dirty.push(target);
          }
          const mergedKeys = personMatchKeys(merged);
          if (target.kind === 'new') target.keys = mergedKeys;
          index(target, mergedKeys); // new keys (e.g. an e-mail learnt from this row) find the same person later in the file
          updated++;
        }
        if (m && (batch.length >= CHUNK || end === rows.length)) {
          await writes.insert(batch, imported + (rows.length - end));
          batch = [];
        }
        if (m) progress?.(end, rows.length);
      }
      await writes.close();
    } catch (e) {
      await writes.abort();
      throw e;
    }
    if (m) {
      for (const t of dirty) if (t.id !== null) await m.update('people', t.id, personToRow(t.person));
    }
    const updates = touched.map((t) => ({
      personId: t.id,
      firstName: t.original.firstName,
      lastName: t.original.lastName,
      line: t.line,
      changes: personChanges(t.original, t.person),
      excluded: t.excluded,
    }));
    const paid = () => payments.flatMap((p) => (p.target.id !== null && p.payment ? [{ line: p.line, personId: p.target.id, payment: p.payment, cells: p.cells }] : []));
    return { imported, updated, unchanged, excluded: updates.filter((u) => u.excluded).length, updates, paid };
  }
}

type MatchKeys = ReturnType<typeof personMatchKeys>;
/** A person already stored: `original` as read, `line` of the first row completing them (0: none yet). */
type ExistingTarget = { kind: 'existing'; id: string; person: PersonInput; original: PersonInput; line: number; excluded: boolean; dirty: boolean };
/** A person this file creates: `written` once its row is built (later completions are then updates), `id` once inserted. */
type NewTarget = { kind: 'new'; id: string | null; person: PersonInput; keys: MatchKeys; written: boolean; dirty: boolean };
type Target = ExistingTarget | NewTarget;

/** Rows of the file per step, and people per INSERT statement. */
const CHUNK = 500;
/** Rows normalised between two turns of the event loop (≈ 10 ms of work on an idle machine). */
const YIELD_EVERY = 100;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The inserts of one import: one Mutator insert write opened with the first batch (bulk load when the rest of the
 * file could hold BULK_MIN_ROWS new people). The driver is synchronous (main/db/sqlcipherClient.ts): each batch is
 * written on this thread, then the event loop gets a turn, so that the core sends its progress events and answers
 * other messages between two batches (docs/performance.md "The desk during an import").
 */
class ImportWrites {
  private writer: InsertWriter | null = null;

  constructor(private readonly m: Mutator | null) {}

  async insert(batch: NewTarget[], upperBound: number): Promise<void> {
    if (!this.m || batch.length === 0) return;
    const rows = batch.map((t) => {
      t.written = true;
      return personToRow(t.person, t.keys);
    });
    this.writer ??= await this.m.insertWriter('people', upperBound);
    const ids = await this.writer.add(rows);
    for (let i = 0; i < ids.length; i++) (batch[i] as NewTarget).id = ids[i] as string;
    await yieldToEventLoop();
  }

  async close(): Promise<void> {
    await this.writer?.close();
  }

  async abort(): Promise<void> {
    await this.writer?.abort().catch(() => undefined);
  }
}
