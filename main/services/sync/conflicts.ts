/**
 * The conflicts screen's data (issue 4 §3): the values a merge overwrote while two devices edited the same field
 * without seeing each other's edit (`sync_history.conflict = 1`), filtered by what the user may read, and restored
 * in one click (a new local write of the old value: it wins everywhere at the next sync, and is audited).
 */
import type { Knex } from 'knex';
import { AppError } from '../../../shared/domain/errors';
import type { Permission } from '../../../shared/domain/access';
import type { ConflictItem } from '../../../shared/contract/sync';
import { refreshDerived } from '../../sync/tables';
import type { ServiceContext } from '../context';
import { forbidden } from '../access/access';

/** Who may see (read) and restore (write) the conflicts of each table; tables absent here are never listed. */
const TABLE_RIGHTS: Record<string, { read: Permission; write: Permission }> = {
  people: { read: 'people.read', write: 'people.write' },
  households: { read: 'people.read', write: 'people.write' },
  consents: { read: 'people.read', write: 'consents.write' },
  tasks: { read: 'tasks.read', write: 'tasks.write' },
  case_notes: { read: 'notes.read', write: 'notes.write' },
  documents: { read: 'documents.read', write: 'documents.add' },
  users: { read: 'users.manage', write: 'users.manage' },
  roles: { read: 'roles.manage', write: 'roles.manage' },
  groups: { read: 'groups.manage', write: 'groups.manage' },
};

/** People columns readable only with a permission (shared/domain/person.ts PERSON_FIELD_SETS). */
const PEOPLE_COLUMN_RIGHTS: Record<string, Permission> = {
  birth_date: 'people.readDetails',
  household_id: 'people.readDetails',
  notes: 'people.readDetails',
  skills: 'people.readDetails',
  availability: 'people.readDetails',
  member_number: 'people.readMembership',
  membership_start: 'people.readMembership',
  membership_end: 'people.readMembership',
};

/** Columns holding sealed content or keys: listed as such, values never shown. */
const SEALED = new Set(['ciphertext', 'key_wraps', 'wrapped_key', 'sealed', 'sealed_secret', 'key_cert', 'public_key', 'sign_public_key', 'cert', 'signature']);

/** Tables whose content may be sealed under a record key (docs/access.md "Keys"). */
const SEALED_TABLES = new Set(['tasks', 'case_notes', 'documents']);
/**
 * In those tables, the columns one write of the content sets together: the sealed text, the record key's wraps and
 * who they are for. Restoring one of them alone would pair a ciphertext with another version's record key (the
 * record could no longer be opened by anyone) or a clear title with a sealed version: they come back together.
 */
const CONTENT = new Set([...SEALED, 'visibility', 'scope_id', 'key_epoch', 'title', 'description', 'note', 'body']);

interface HistoryRow {
  id: number;
  table_name: string;
  row_id: string;
  column_name: string;
  value: string | null;
  hlc: string;
  kept_value: string | null;
  kept_hlc: string;
  resolved_at: string | null;
}

const cell = (json: string | null): string | number | null => {
  try {
    const v: unknown = JSON.parse(json ?? 'null');
    return typeof v === 'string' || typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
};

/** The HLC's wall time as ISO 8601. */
const hlcTime = (hlc: string) => new Date(Number(hlc.slice(0, 13)) || 0).toISOString();

export class ConflictsService {
  constructor(private readonly ctx: ServiceContext) {}

  private visible(r: { table_name: string; column_name: string }): boolean {
    const rights = TABLE_RIGHTS[r.table_name];
    if (!rights || !this.ctx.access.has(rights.read)) return false;
    const column = r.table_name === 'people' ? PEOPLE_COLUMN_RIGHTS[r.column_name] : undefined;
    return !column || this.ctx.access.has(column);
  }

  /** Conflicts the user may see, newest first (at most 500). */
  async list(includeResolved: boolean): Promise<ConflictItem[]> {
    const q = this.ctx.db('sync_history').where('conflict', 1).orderBy('id', 'desc').limit(2000);
    if (!includeResolved) q.whereNull('resolved_at');
    const rows = ((await q.select('*')) as HistoryRow[]).filter((r) => this.visible(r)).slice(0, 500);
    const labels = await this.labels(rows);
    return rows.map((r) => {
      const sealed = SEALED.has(r.column_name);
      return {
        id: r.id,
        table: r.table_name,
        rowId: r.row_id,
        column: r.column_name,
        label: labels.get(`${r.table_name}/${r.row_id}`) ?? null,
        kept: sealed ? null : cell(r.kept_value),
        overwritten: sealed ? null : cell(r.value),
        keptAt: hlcTime(r.kept_hlc),
        overwrittenAt: hlcTime(r.hlc),
        sealed,
        resolvedAt: r.resolved_at,
      };
    });
  }

  /** Number of unresolved conflicts the user may see. */
  async count(): Promise<number> {
    const rows = (await this.ctx.db('sync_history').where('conflict', 1).whereNull('resolved_at').select('table_name', 'column_name')) as HistoryRow[];
    return rows.filter((r) => this.visible(r)).length;
  }

  private async labels(rows: HistoryRow[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const ids = (table: string) => [...new Set(rows.filter((r) => r.table_name === table).map((r) => r.row_id))];
    const people = ids('people');
    if (people.length) {
      for (const p of (await this.ctx.db('people').whereIn('id', people).select('id', 'first_name', 'last_name')) as { id: string; first_name: string; last_name: string }[]) {
        out.set(`people/${p.id}`, `${p.first_name} ${p.last_name}`.trim());
      }
    }
    const tasks = ids('tasks');
    if (tasks.length) {
      for (const t of (await this.ctx.db('tasks').whereIn('id', tasks).whereNull('ciphertext').select('id', 'title')) as { id: string; title: string }[]) out.set(`tasks/${t.id}`, t.title);
    }
    const households = ids('households');
    if (households.length) {
      for (const h of (await this.ctx.db('households').whereIn('id', households).select('id', 'name')) as { id: string; name: string }[]) out.set(`households/${h.id}`, h.name);
    }
    return out;
  }

  private async find(id: number): Promise<HistoryRow> {
    const row = (await this.ctx.db('sync_history').where({ id, conflict: 1 }).first()) as HistoryRow | undefined;
    if (!row || !this.visible(row)) throw new AppError('NOT_FOUND', 'Conflit introuvable.');
    return row;
  }

  /**
   * Writes the overwritten value back (a new edit that wins at the next sync) and marks the conflict resolved. For
   * sealed content, the other open conflicts of the same overwritten write on its content columns come back with it.
   */
  async restore(id: number): Promise<void> {
    const row = await this.find(id);
    const rights = TABLE_RIGHTS[row.table_name]!;
    if (!this.ctx.access.has(rights.write)) throw forbidden(rights.write);
    await this.ctx.db.transaction(async (trx) => {
      const linked =
        SEALED_TABLES.has(row.table_name) && CONTENT.has(row.column_name)
          ? ((await trx('sync_history')
              .where({ table_name: row.table_name, row_id: row.row_id, hlc: row.hlc, conflict: 1 })
              .whereNull('resolved_at')
              .whereIn('column_name', [...CONTENT])
              .whereNot('id', row.id)
              .select('*')) as HistoryRow[]).filter((r) => r.column_name !== row.column_name)
          : [];
      const change: Record<string, string | number | null> = { [row.column_name]: cell(row.value) };
      for (const r of linked) change[r.column_name] ??= cell(r.value);
      if (row.table_name === 'people') {
        const current = (await trx('people').where({ id: row.row_id }).first()) as Record<string, string | number | null> | undefined;
        if (!current) throw new AppError('NOT_FOUND', 'La fiche de ce conflit est introuvable.');
        Object.assign(change, refreshDerived('people', { ...current, ...change }));
      }
      await this.ctx.mutator.with(trx).update(row.table_name, row.row_id, change);
      for (const done of [id, ...linked.map((r) => r.id)]) await this.resolve(trx, done);
      const columns = linked.length > 0 ? { columns: Object.keys(change).filter((c) => c === row.column_name || linked.some((r) => r.column_name === c)) } : {};
      await this.ctx.audit({ action: 'conflict.restore', targetType: row.table_name, targetId: row.row_id, details: { column: row.column_name, ...columns } }, trx);
    });
  }

  /** Marks a conflict as seen without changing anything (the kept value stays). */
  async dismiss(id: number): Promise<void> {
    const row = await this.find(id);
    await this.ctx.db.transaction(async (trx) => {
      await this.resolve(trx, id);
      await this.ctx.audit({ action: 'conflict.dismiss', targetType: row.table_name, targetId: row.row_id, details: { column: row.column_name } }, trx);
    });
  }

  private async resolve(trx: Knex.Transaction, id: number): Promise<void> {
    await trx('sync_history').where({ id }).update({ resolved_at: this.ctx.clock.now().toISOString(), resolved_by: this.ctx.user.id });
  }
}
