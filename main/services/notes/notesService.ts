/**
 * Case notes (notes de suivi): dated, authored, append-only — a revision is a new row that keeps the old one (issue 3
 * §4). A note visible to everyone keeps its text in `body`; a narrower one is sealed for its scopes
 * (main/services/access/scopeKeys.ts) and `body` stays NULL, so the text never sits in clear in the database.
 * Reading needs `notes.read` (every note the user can decrypt) or `notes.readOwn`: the notes they wrote and those
 * addressed to them by name or through one of their groups — not the association-wide ones (a volunteer reads what
 * concerns their work, not every case note).
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { canonicalVisibility, type Visibility } from '../../../shared/domain/access';
import { parseStoredVisibility } from '../access/storedVisibility';
import { AppError } from '../../../shared/domain/errors';
import type { CaseNote, NoteRevision } from '../../../shared/domain/note';
import type { ServiceContext } from '../context';
import { scopeIdOf } from '../access/scopeKeys';

interface NoteRow {
  id: string;
  note_id: string;
  person_id: string;
  author_id: string;
  author_name: string | null;
  visibility: string;
  body: string | null;
  ciphertext: string | null;
  key_wraps: string | null;
  created_at: string;
}

const TABLE = 'case_notes';

export class NotesService {
  constructor(private readonly ctx: ServiceContext) {}

  private requireRead(): void {
    this.ctx.access.requireAny('notes.read', 'notes.readOwn');
  }

  /** The text of one revision, or null when the current user cannot read it. */
  private async text(r: NoteRow): Promise<string | null> {
    if (parseStoredVisibility(r.visibility).kind === 'everyone') return r.body;
    const fields = await this.ctx.scopes.openRecord<{ text: string }>(TABLE, r.id, r.ciphertext, r.key_wraps);
    return typeof fields?.text === 'string' ? fields.text : null;
  }

  private rows(db: Knex | Knex.Transaction): Knex.QueryBuilder {
    return db(`${TABLE} as n`).leftJoin('users as u', 'u.id', 'n.author_id').whereNull('n.deleted_at').select('n.*', 'u.display_name as author_name');
  }

  /** True when the note was written by the current user or addressed to them (by name or through one of their groups). */
  private addressedToMe(first: NoteRow): boolean {
    if (first.author_id === this.ctx.user.id) return true;
    const v = parseStoredVisibility(first.visibility);
    if (v.kind === 'users') return v.userIds.includes(this.ctx.user.id);
    if (v.kind === 'groups') return v.groupIds.some((g) => this.ctx.access.groupIds.includes(g));
    return false;
  }

  /** NOT_FOUND for a note about a person the user may not see (as `list` answers for the person). */
  private async requireNotePerson(first: NoteRow): Promise<void> {
    await this.ctx.access.requirePerson(this.ctx.db, first.person_id).catch((e: unknown) => {
      throw e instanceof AppError && e.code === 'NOT_FOUND' ? new AppError('NOT_FOUND', 'Note introuvable.') : e;
    });
  }

  /** A person's notes the user may read, newest first, each at its latest revision. */
  async list(personId: string): Promise<CaseNote[]> {
    this.requireRead();
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const own = !this.ctx.access.has('notes.read');
    const rows = (await this.rows(this.ctx.db).where('n.person_id', personId).orderBy('n.created_at')) as NoteRow[];
    const byNote = new Map<string, NoteRow[]>();
    for (const r of rows) byNote.set(r.note_id, [...(byNote.get(r.note_id) ?? []), r]);
    const out: CaseNote[] = [];
    for (const revisions of byNote.values()) {
      const first = revisions[0]!;
      const last = revisions[revisions.length - 1]!;
      if (own && !this.addressedToMe(first)) continue;
      const text = await this.text(last);
      if (text === null) continue;
      out.push({
        id: first.note_id,
        personId: first.person_id,
        text,
        authorId: first.author_id,
        authorName: first.author_name ?? '?',
        visibility: parseStoredVisibility(first.visibility),
        createdAt: first.created_at,
        revisedAt: revisions.length > 1 ? last.created_at : null,
        revisedBy: revisions.length > 1 ? (last.author_name ?? '?') : null,
        revisions: revisions.length,
      });
    }
    return out.reverse();
  }

  /** Writes a note (`notes.write`) about a person the user may see. Returns the note's id. */
  async add(personId: string, text: string, visibility: Visibility): Promise<string> {
    this.ctx.access.require('notes.write');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const id = uuidv7();
    await this.write(id, id, personId, text, canonicalVisibility(visibility), null);
    return id;
  }

  /** A new revision of a note by its author (`notes.write`); the visibility stays the note's. Returns the revision's id. */
  async revise(noteId: string, text: string): Promise<string> {
    this.ctx.access.require('notes.write');
    const revisions = (await this.rows(this.ctx.db).where('n.note_id', noteId).orderBy('n.created_at')) as NoteRow[];
    const first = revisions[0];
    const last = revisions[revisions.length - 1];
    if (!first || !last || (await this.text(last)) === null) throw new AppError('NOT_FOUND', 'Note introuvable.');
    await this.requireNotePerson(first);
    if (first.author_id !== this.ctx.user.id) throw new AppError('FORBIDDEN', "Seul l'auteur d'une note peut la modifier (une nouvelle note reste possible).");
    const id = uuidv7();
    await this.write(id, noteId, first.person_id, text, parseStoredVisibility(first.visibility), last.id);
    return id;
  }

  /** Every revision of a note the user may read, oldest first. */
  async history(noteId: string): Promise<NoteRevision[]> {
    this.requireRead();
    const revisions = (await this.rows(this.ctx.db).where('n.note_id', noteId).orderBy('n.created_at')) as NoteRow[];
    if (revisions[0] && !this.ctx.access.has('notes.read') && !this.addressedToMe(revisions[0])) throw new AppError('NOT_FOUND', 'Note introuvable.');
    if (revisions[0]) await this.requireNotePerson(revisions[0]);
    const out: NoteRevision[] = [];
    for (const r of revisions) {
      const text = await this.text(r);
      if (text !== null) out.push({ id: r.id, text, authorName: r.author_name ?? '?', createdAt: r.created_at });
    }
    if (out.length === 0) throw new AppError('NOT_FOUND', 'Note introuvable.');
    return out;
  }

  private async write(id: string, noteId: string, personId: string, text: string, visibility: Visibility, revisesId: string | null): Promise<void> {
    await this.ctx.db.transaction(async (trx) => {
      const base = { id, note_id: noteId, person_id: personId, author_id: this.ctx.user.id, revises_id: revisesId, visibility: JSON.stringify(visibility) };
      const content = visibility.kind === 'everyone' ? { body: text, ciphertext: null, key_wraps: null } : { body: null, ...(await this.ctx.scopes.sealRecord(trx, this.ctx.mutator, visibility, TABLE, id, { text })) };
      await this.ctx.mutator.with(trx).insert(TABLE, [{ ...base, ...content, scope_id: scopeIdOf(visibility, this.ctx.user.id) }]);
      await this.ctx.audit({ action: revisesId ? 'note.revise' : 'note.create', targetType: 'person', targetId: personId, details: { noteId, visibility: visibility.kind } }, trx);
    });
  }
}
