/**
 * The database half of people imports: preview (what the mapping step shows) and run (match, fill, create).
 * Matching (issue "reception desk", §5): same e-mail (case-insensitive) or same last + first name (case- and
 * accent-insensitive) + birth date. A matched row only fills empty fields and never creates a duplicate, so
 * importing the same file twice changes nothing. The whole import is one transaction: all or nothing.
 */
import type { ColumnMapping, ImportPreview, ImportReport } from '../../../shared/domain/imports';
import type { PersonInput, PersonKind } from '../../../shared/domain/person';
import { personToRow, rowToPersonInput, type PersonRow } from '../../db/repositories/people';
import { today, type ServiceContext } from '../context';
import { detectShape, mergeFill, normalizeRecords, personMatchKeys, readTable, suggestMapping } from './index';

export type ImportProgress = (done: number, total: number) => void;

const SAMPLE_ROWS = 8;

type Target = { kind: 'existing'; id: string; person: PersonInput; dirty: boolean } | { kind: 'new'; person: PersonInput };

export class ImportService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Reads the file and proposes a mapping. Throws IMPORT_UNREADABLE naming the file. */
  preview(fileName: string, bytes: Uint8Array): ImportPreview {
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
   * `imported` counts people created, `updated` people completed, `unchanged` rows that added nothing.
   */
  async run(fileName: string, bytes: Uint8Array, columns: ColumnMapping, defaultKinds: PersonKind[], dryRun: boolean, progress?: ImportProgress): Promise<ImportReport> {
    const table = readTable(fileName, bytes);
    const { rows, records, errors, warnings } = normalizeRecords(table, columns, { today: today(this.ctx.clock), defaultKinds });
    const byEmail = new Map<string, Target>();
    const byNameBirth = new Map<string, Target>();
    const index = (t: Target) => {
      const k = personMatchKeys(t.person);
      if (k.email && !byEmail.has(k.email)) byEmail.set(k.email, t);
      if (k.nameBirth && !byNameBirth.has(k.nameBirth)) byNameBirth.set(k.nameBirth, t);
    };
    for (const row of (await this.ctx.db('people').whereNull('deleted_at').select('*')) as PersonRow[]) {
      index({ kind: 'existing', id: row.id, person: rowToPersonInput(row), dirty: false });
    }
    const created: Target[] = [];
    let updated = 0;
    let unchanged = 0;
    for (const record of records) {
      const keys = personMatchKeys(record.person);
      const target = (keys.email ? byEmail.get(keys.email) : undefined) ?? (keys.nameBirth ? byNameBirth.get(keys.nameBirth) : undefined);
      if (!target) {
        const t: Target = { kind: 'new', person: record.person };
        created.push(t);
        index(t);
        continue;
      }
      const { merged, changedFields } = mergeFill(target.person, record.person);
      if (changedFields.length === 0) {
        unchanged++;
        continue;
      }
      target.person = merged;
      if (target.kind === 'existing') target.dirty = true;
      index(target); // new keys (e.g. an e-mail learnt from this row) find the same person later in the file
      updated++;
    }
    if (!dryRun) await this.write(created, [...new Set([...byEmail.values(), ...byNameBirth.values()])], progress);
    return { rows, imported: created.length, updated, unchanged, errors, warnings, dryRun };
  }

  private async write(created: Target[], targets: Target[], progress?: ImportProgress): Promise<void> {
    const dirty = targets.filter((t): t is Extract<Target, { kind: 'existing' }> => t.kind === 'existing' && t.dirty);
    const total = created.length + dirty.length;
    await this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      for (let i = 0; i < created.length; i += 500) {
        await m.insert('people', created.slice(i, i + 500).map((t) => personToRow(t.person)));
        progress?.(Math.min(i + 500, created.length), total);
      }
      let done = created.length;
      for (const t of dirty) {
        await m.update('people', t.id, personToRow(t.person));
        if (++done % 200 === 0) progress?.(done, total);
      }
    });
    progress?.(total, total);
  }
}
