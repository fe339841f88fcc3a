/**
 * A person's data handed over (RGPD art. 15 and 20; CPCE art. L.103: the holder of a digital safe takes their papers
 * back; docs/portability.md). Export: one ZIP with `resume.pdf` (readable summary), `personne.json` (schema
 * shared/domain/portability.ts, version 1), `personne.schema.json` (its JSON Schema), every paper as `pieces/*.pdf`,
 * and `manifest.json` (SHA-256 and size of every other file). Only what the exporting user may read goes in (notes of
 * narrower visibility they cannot open stay out). Audited (person.exportData, with counts).
 *
 * Import into another association: the manifest is checked first (every file listed, present, of that hash and size;
 * no file unlisted), then the JSON against its schema, then each paper against its hash; any failure is a VALIDATION
 * error naming the file, and nothing is written. Imported notes are visible to the importing user only (their
 * original audience does not exist here); tasks and papers to the association. Audited (person.importData).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/domain/errors';
import { EXPORT_FILES, exportManifest, personExport, PERSON_EXPORT_FORMAT, PERSON_EXPORT_VERSION, type PersonExport } from '../../../shared/domain/portability';
import { MAX_EXPORT_BYTES } from '../../../shared/contract/erasure';
import type { ServiceContext } from '../context';
import type { PeopleService } from '../people/peopleService';
import type { NotesService } from '../notes/notesService';
import type { ConsentsService } from '../notes/consentsService';
import type { TasksService } from '../tasks/tasksService';
import type { VaultService } from '../vault/vaultService';
import type { AccessService } from '../access/accessService';
import { eraseRecords } from '../../db/erasure';
import { removeBlobs } from '../erasure/erasureService';
import { summaryPdf } from './summaryPdf';
import { readZip, writeZip } from './zip';
import { VolunteersService } from '../volunteers/volunteersService';
import { VisitsService } from '../visits/visitsService';
import { AgendaService } from '../agenda/agendaService';

export interface PortabilityDeps {
  ctx: ServiceContext;
  associationName: string;
  /** The association's vault folder (a half-done import's blobs are removed from it). */
  vaultDir: string;
  people: PeopleService;
  notes: NotesService;
  consents: ConsentsService;
  tasks: TasksService;
  vault: VaultService;
  access: AccessService;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);
const slug = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'personne';

/** The JSON Schema of `personne.json` (draft 2020-12, from the zod schema). */
export function personExportJsonSchema(): unknown {
  return z.toJSONSchema(personExport, { target: 'draft-2020-12' });
}

export class PortabilityService {
  constructor(private readonly d: PortabilityDeps) {}

  /**
   * The export ZIP of one person and its file name (`donnees-Prenom-Nom-AAAA-MM-JJ.zip`).
   * @throws AppError FORBIDDEN (the user may not see the person, or has papers to export without documents.export), NOT_FOUND.
   */
  async export(personId: string): Promise<{ fileName: string; zip: Uint8Array }> {
    const { ctx } = this.d;
    const { person } = await this.d.people.get(personId);
    const documents = await this.d.vault.list(personId);
    if (documents.length > 0) ctx.access.require('documents.export');
    const groupIds = new Set(await this.d.access.personGroups(personId).catch(() => [] as string[]));
    const groups = (await this.d.access.groups()).filter((g) => groupIds.has(g.id)).map((g) => g.name);
    const notes = ctx.access.hasAny('notes.read', 'notes.readOwn') ? await this.d.notes.list(personId) : [];
    const tasks = ctx.access.hasAny('tasks.read', 'tasks.readOwn') ? await this.d.tasks.list('all', personId) : [];
    const consents = await this.d.consents.list(personId);
    const volunteering = ctx.access.has('volunteers.read') ? await volunteeringOf(ctx, personId) : {};
    const events = ctx.access.has('agenda.read') ? { events: await eventsOf(ctx, personId) } : {};
    const papers: { path: string; bytes: Uint8Array }[] = [];
    const paperMeta: PersonExport['papers'] = [];
    for (const [i, doc] of documents.entries()) {
      const { bytes } = await this.d.vault.read(doc.id);
      const file = `pieces/${String(i + 1).padStart(2, '0')}-${doc.type}.pdf`;
      papers.push({ path: file, bytes });
      paperMeta.push({ file, type: doc.type, title: doc.title, issuedOn: doc.issuedOn, expiresOn: doc.expiresOn, note: doc.note, pages: doc.pages, sha256: sha256(bytes) });
    }
    const now = ctx.clock.now();
    const data = personExport.parse({
      format: PERSON_EXPORT_FORMAT,
      version: PERSON_EXPORT_VERSION,
      exportedAt: now.toISOString(),
      source: { association: this.d.associationName, exportedBy: ctx.user.displayName || ctx.user.name },
      person: {
        civility: person.civility, firstName: person.firstName, lastName: person.lastName, birthDate: person.birthDate, email: person.email,
        phone: person.phone, phone2: person.phone2, addressLine: person.addressLine, postalCode: person.postalCode, city: person.city,
        country: person.country, memberNumber: person.memberNumber, kinds: person.kinds, membershipStart: person.membershipStart,
        membershipEnd: person.membershipEnd, skills: person.skills, availability: person.availability, notes: person.notes,
      },
      groups,
      notes: notes.map((n) => ({ text: n.text, authorName: n.authorName, createdAt: n.createdAt })),
      tasks: tasks.map((t) => ({ title: t.title, description: t.description, dueDate: t.dueDate, priority: t.priority, status: t.status, createdAt: t.createdAt })),
      consents: consents.map((c) => ({ purpose: c.purpose, givenOn: c.givenOn, withdrawnOn: c.withdrawnOn })),
      ...volunteering,
      ...events,
      papers: paperMeta,
    });
    const files = [
      { path: EXPORT_FILES.summary, bytes: await summaryPdf(data) },
      { path: EXPORT_FILES.data, bytes: utf8(`${JSON.stringify(data, null, 2)}\n`) },
      { path: EXPORT_FILES.schema, bytes: utf8(`${JSON.stringify(personExportJsonSchema(), null, 2)}\n`) },
      ...papers,
    ];
    const manifest = { format: 'solidariciel-manifest', version: 1, files: files.map((f) => ({ path: f.path, sha256: sha256(f.bytes), bytes: f.bytes.byteLength })) };
    const zip = await writeZip([{ path: EXPORT_FILES.manifest, bytes: utf8(`${JSON.stringify(manifest, null, 2)}\n`) }, ...files], now);
    await ctx.audit({ action: 'person.exportData', targetType: 'person', targetId: personId, details: { notes: notes.length, tasks: tasks.length, consents: consents.length, papers: papers.length } });
    const day = now.toISOString().slice(0, 10);
    return { fileName: `donnees-${slug(`${person.firstName} ${person.lastName}`)}-${day}.zip`, zip };
  }

  /**
   * Imports an export ZIP as a new person here. Returns the new person's id and the number of papers added.
   * @throws AppError VALIDATION naming the file (not a ZIP, manifest missing or malformed, a hash or size that differs,
   *   a file missing or not listed, JSON malformed or of another format/version) — nothing written; FORBIDDEN.
   */
  async import(zipBytes: Uint8Array): Promise<{ personId: string; papers: number }> {
    const { ctx } = this.d;
    ctx.access.require('people.write');
    const data = await checkExport(zipBytes);
    if (data.json.papers.length > 0) ctx.access.require('documents.add');
    const p = data.json.person;
    const personId = await this.d.people.create({ ...p, civility: p.civility as never, householdId: null });
    try {
      await this.fill(personId, data);
    } catch (e) {
      // A paper the vault refuses (or any later failure): the half-imported person goes, nothing of the archive stays.
      const undone = await ctx.db.transaction((trx) => eraseRecords(trx, [personId], ctx.mutator, ctx.clock.now().toISOString()));
      await removeBlobs(this.d.vaultDir, undone.blobNames);
      throw e;
    }
    await ctx.audit({ action: 'person.importData', targetType: 'person', targetId: personId, details: { from: 'export', papers: data.json.papers.length, notes: data.json.notes.length, tasks: data.json.tasks.length } });
    return { personId, papers: data.json.papers.length };
  }

  /** The person's consents, notes, tasks and papers, written one by one through their services. */
  private async fill(personId: string, data: { json: PersonExport; files: Map<string, Buffer> }): Promise<void> {
    for (const c of data.json.consents) {
      const id = await this.d.consents.record(personId, { purpose: c.purpose, givenOn: c.givenOn });
      if (c.withdrawnOn) await this.d.consents.withdraw(id, c.withdrawnOn);
    }
    for (const n of data.json.notes) {
      await this.d.notes.add(personId, `${n.text}\n\n— ${n.authorName}, ${n.createdAt.slice(0, 10)} (${data.json.source.association})`, { kind: 'me' });
    }
    for (const t of data.json.tasks) {
      await this.d.tasks.create({ title: t.title, description: t.description, personId, assigneeId: null, dueDate: t.dueDate, priority: t.priority, status: t.status, visibility: { kind: 'everyone' } });
    }
    for (const paper of data.json.papers) {
      const bytes = data.files.get(paper.file) as Buffer;
      await this.d.vault.add(personId, { type: paper.type, title: paper.title, issuedOn: paper.issuedOn, expiresOn: paper.expiresOn, note: paper.note, visibility: { kind: 'everyone' } }, [{ name: paper.file.slice(7), bytes: new Uint8Array(bytes) }]);
    }
  }
}

/**
 * Reads and checks an export ZIP without writing anything: manifest, hashes and sizes, JSON schema, papers listed.
 * @throws AppError VALIDATION naming the file at fault.
 */
export async function checkExport(zipBytes: Uint8Array): Promise<{ json: PersonExport; files: Map<string, Buffer> }> {
  const bad = (why: string) => new AppError('VALIDATION', `Archive refusée : ${why}. Rien n’a été importé.`);
  const files = await readZip(zipBytes, MAX_EXPORT_BYTES);
  const manifestBytes = files.get(EXPORT_FILES.manifest);
  if (!manifestBytes) throw bad(`${EXPORT_FILES.manifest} manque (ce n’est pas un export de Solidariciel)`);
  const manifest = exportManifest.safeParse(parseJson(manifestBytes, EXPORT_FILES.manifest, bad));
  if (!manifest.success) throw bad(`${EXPORT_FILES.manifest} malformé (${issue(manifest.error)})`);
  const listed = new Set<string>();
  for (const f of manifest.data.files) {
    const bytes = files.get(f.path);
    if (!bytes) throw bad(`le fichier ${f.path} listé dans ${EXPORT_FILES.manifest} manque`);
    if (bytes.byteLength !== f.bytes || sha256(bytes) !== f.sha256) throw bad(`le fichier ${f.path} ne correspond pas à son empreinte SHA-256 dans ${EXPORT_FILES.manifest} (modifié ou abîmé)`);
    listed.add(f.path);
  }
  for (const name of files.keys()) if (name !== EXPORT_FILES.manifest && !listed.has(name)) throw bad(`le fichier ${name} n’est pas listé dans ${EXPORT_FILES.manifest}`);
  const dataBytes = files.get(EXPORT_FILES.data);
  if (!dataBytes || !listed.has(EXPORT_FILES.data)) throw bad(`${EXPORT_FILES.data} manque`);
  const json = personExport.safeParse(parseJson(dataBytes, EXPORT_FILES.data, bad));
  if (!json.success) throw bad(`${EXPORT_FILES.data} ne suit pas le schéma ${PERSON_EXPORT_FORMAT} version ${PERSON_EXPORT_VERSION} (${issue(json.error)})`);
  for (const paper of json.data.papers) {
    const bytes = files.get(paper.file);
    if (!bytes || !listed.has(paper.file)) throw bad(`la pièce ${paper.file} annoncée dans ${EXPORT_FILES.data} manque`);
    if (sha256(bytes) !== paper.sha256) throw bad(`la pièce ${paper.file} ne correspond pas à son empreinte dans ${EXPORT_FILES.data}`);
  }
  return { json: json.data, files };
}

function parseJson(bytes: Buffer, name: string, bad: (why: string) => AppError): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw bad(`${name} n’est pas un JSON valide`);
  }
}

const issue = (e: z.ZodError) => `${e.issues[0]?.path.join('.') || 'racine'} : ${e.issues[0]?.message ?? 'invalide'}`;

/** The volunteer profile and visits of a person for the export (docs/volunteers.md); absent parts left out. */
async function volunteeringOf(ctx: ServiceContext, personId: string): Promise<Pick<PersonExport, 'volunteer' | 'visits'>> {
  const v = await new VolunteersService(ctx).get(personId);
  const visits = await new VisitsService(ctx).ofPerson(personId);
  return {
    volunteer: v ? { skills: v.skills, area: v.area, hoursPerMonth: v.hoursPerMonth, availability: v.availability, absences: v.absences.map((a) => ({ from: a.from, to: a.to })) } : null,
    visits: visits.map((x) => ({ role: x.role, start: x.start, minutes: x.minutes, status: x.status, minutesSpent: x.minutesSpent, note: x.note })),
  };
}

/** The agenda events naming the person that the exporter can read (docs/agenda.md). */
async function eventsOf(ctx: ServiceContext, personId: string): Promise<NonNullable<PersonExport['events']>> {
  const events = await new AgendaService(ctx).events((e) => e.personIds.includes(personId));
  return events.map((e) => ({ kind: e.kind, title: e.title, place: e.place, start: e.start, timeZone: e.timeZone, minutes: e.minutes, everyWeeks: e.recurrence?.everyWeeks ?? null, until: e.recurrence?.until ?? null }));
}
