/**
 * A person's data handed over (docs/portability.md): the export ZIP holds a summary PDF, every paper as its PDF, the
 * JSON (valid against its zod schema and its JSON Schema) and a manifest whose hashes are right; it imports into
 * another association (round trip); a changed file, a malformed JSON or a missing manifest is refused naming the file,
 * and nothing is written.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { EXPORT_FILES, exportManifest, personExport } from '../../shared/domain/portability';
import { readZip, writeZip } from '../../main/services/portability/zip';
import { fixture, newTestCore, type TestCore } from '../helpers/core';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('a person’s data exported and imported into another association', () => {
  let a: TestCore;
  let b: TestCore;
  let personId: string;
  let zip: Uint8Array;
  let fileName: string;
  let paperBytes: Buffer;

  beforeAll(async () => {
    a = await newTestCore();
    b = await newTestCore();
    personId = (await a.call('people:create', { person: { firstName: 'Zoé', lastName: 'Lefèvre', email: 'zoe.lefevre@example.org', birthDate: '1990-04-12', city: 'Paris', kinds: ['beneficiary'] } })).id;
    const g = (await a.call('groups:create', { name: 'Équipe Nord' })).id;
    await a.call('people:setGroups', { personId, groupIds: [g] });
    await a.call('notes:add', { personId, text: 'Premier rendez-vous : demande de logement', visibility: { kind: 'everyone' } });
    await a.call('tasks:create', { task: { title: 'Appeler la CAF', personId, dueDate: '2026-12-20' } });
    await a.call('consents:record', { personId, consent: { purpose: 'Partage avec le CCAS', givenOn: '2026-02-01' } });
    const paperId = (await a.call('vault:addDocument', { personId, meta: { type: 'autre', title: 'Carte d’identité', expiresOn: '2030-01-01' }, files: [{ name: 'carte.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] })).id;
    paperBytes = Buffer.from((await a.call('vault:readDocument', { id: paperId })).bytes);
    ({ zip, fileName } = await a.call('people:exportData', { id: personId }));
  }, 60_000);

  afterAll(async () => {
    await a.cleanup();
    await b.cleanup();
  });

  it('holds the summary, the JSON, its schema, the paper and a manifest whose hashes are right', async () => {
    expect(fileName).toMatch(/^donnees-Zoe-Lefevre-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = await readZip(zip, 1e9);
    expect([...files.keys()].sort()).toEqual(['manifest.json', 'personne.json', 'personne.schema.json', 'pieces/01-autre.pdf', 'resume.pdf']);
    const manifest = exportManifest.parse(JSON.parse(files.get(EXPORT_FILES.manifest)!.toString('utf8')));
    expect(manifest.files.map((f) => f.path).sort()).toEqual(['personne.json', 'personne.schema.json', 'pieces/01-autre.pdf', 'resume.pdf']);
    for (const f of manifest.files) {
      expect(sha(files.get(f.path)!), f.path).toBe(f.sha256);
      expect(files.get(f.path)!.byteLength).toBe(f.bytes);
    }
    expect(Buffer.compare(files.get('pieces/01-autre.pdf')!, paperBytes)).toBe(0);
    const summary = await PDFDocument.load(files.get(EXPORT_FILES.summary)!);
    expect(summary.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(summary.getTitle()).toBe('Données de Zoé Lefèvre');
  });

  it('its JSON validates against the zod schema and the JSON Schema shipped beside it', async () => {
    const files = await readZip(zip, 1e9);
    const data = JSON.parse(files.get(EXPORT_FILES.data)!.toString('utf8')) as unknown;
    const parsed = personExport.parse(data);
    expect(parsed).toMatchObject({
      format: 'solidariciel-person',
      version: 1,
      source: { association: 'Entraide Paris 11' },
      person: { firstName: 'Zoé', lastName: 'Lefèvre', email: 'zoe.lefevre@example.org', birthDate: '1990-04-12' },
      groups: ['Équipe Nord'],
      notes: [{ text: 'Premier rendez-vous : demande de logement', authorName: 'admin' }],
      tasks: [{ title: 'Appeler la CAF', dueDate: '2026-12-20', status: 'todo' }],
      consents: [{ purpose: 'Partage avec le CCAS', givenOn: '2026-02-01', withdrawnOn: null }],
      papers: [{ file: 'pieces/01-autre.pdf', type: 'autre', title: 'Carte d’identité', expiresOn: '2030-01-01', sha256: sha(paperBytes) }],
    });
    const schema = JSON.parse(files.get(EXPORT_FILES.schema)!.toString('utf8')) as { $schema: string; required: string[]; properties: Record<string, unknown> };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'version', 'person', 'papers']));
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(data as object).sort());
    const audit = await a.call('audit:list', { action: 'person.exportData', limit: 5, offset: 0 });
    expect(audit.items[0]).toMatchObject({ targetId: personId, details: { papers: 1, notes: 1, tasks: 1, consents: 1 } });
  });

  it('imports into another association: the person, the consent, the note, the task and the paper', async () => {
    const r = await b.call('people:importData', { zip });
    expect(r.papers).toBe(1);
    const { person } = await b.call('people:get', { id: r.personId });
    expect(person).toMatchObject({ firstName: 'Zoé', lastName: 'Lefèvre', email: 'zoe.lefevre@example.org', birthDate: '1990-04-12', city: 'Paris', kinds: ['beneficiary'] });
    expect((await b.call('consents:list', { personId: r.personId })).items.map((c) => c.purpose)).toEqual(['Partage avec le CCAS']);
    expect((await b.call('notes:list', { personId: r.personId })).items[0]?.text).toContain('Premier rendez-vous : demande de logement');
    expect((await b.call('tasks:list', { view: 'all', personId: r.personId })).items.map((t) => t.title)).toEqual(['Appeler la CAF']);
    const docs = (await b.call('vault:listDocuments', { personId: r.personId })).items;
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ title: 'Carte d’identité', expiresOn: '2030-01-01' });
    // The vault re-assembles every added PDF (main/vault/pdf.ts): same pages, a new file (docs/portability.md).
    const original = (await a.call('vault:listDocuments', { personId })).items[0]!;
    expect(docs[0]!.pages).toBe(original.pages);
    const copy = await b.call('vault:readDocument', { id: docs[0]!.id });
    expect((await PDFDocument.load(copy.bytes)).getPageCount()).toBe(original.pages);
  });

  const tampered = async (change: (files: Map<string, Buffer>) => void): Promise<Uint8Array> => {
    const files = await readZip(zip, 1e9);
    change(files);
    return writeZip([...files].map(([path, bytes]) => ({ path, bytes })), new Date());
  };

  it('refuses a changed paper, a malformed JSON, an unlisted file or a missing manifest, naming the file, and writes nothing', async () => {
    const before = (await b.call('people:search', { query: '', limit: 50 })).items.length;
    const cases: [Uint8Array, RegExp][] = [
      [await tampered((f) => f.set('pieces/01-autre.pdf', Buffer.concat([f.get('pieces/01-autre.pdf')!, Buffer.from('x')]))), /pieces\/01-autre\.pdf ne correspond pas à son empreinte/],
      [
        await tampered((f) => {
          const bad = Buffer.from('{"format": "solidariciel-person", ');
          f.set('personne.json', bad);
          const m = JSON.parse(f.get('manifest.json')!.toString()) as { files: { path: string; sha256: string; bytes: number }[] };
          for (const e of m.files) if (e.path === 'personne.json') Object.assign(e, { sha256: sha(bad), bytes: bad.byteLength });
          f.set('manifest.json', Buffer.from(JSON.stringify(m)));
        }),
        /personne\.json n’est pas un JSON valide/,
      ],
      [await tampered((f) => f.set('pieces/extra.pdf', Buffer.from('%PDF-1.4'))), /pieces\/extra\.pdf n’est pas listé dans manifest\.json/],
      [await tampered((f) => f.delete('manifest.json')), /manifest\.json manque/],
      [new Uint8Array(Buffer.from('pas un zip')), /Archive illisible/],
    ];
    for (const [bytes, message] of cases) {
      await expect(b.call('people:importData', { zip: bytes })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(message) });
    }
    expect((await b.call('people:search', { query: '', limit: 50 })).items.length).toBe(before);
  });

  it('a paper the vault refuses after the checks (hashes right, not a PDF) undoes the whole import', async () => {
    const before = (await b.call('people:search', { query: '', limit: 50 })).items.length;
    const notPdf = Buffer.from('ceci n’est pas un PDF');
    const zipBad = await tampered((f) => {
      f.set('pieces/01-autre.pdf', notPdf);
      const data = JSON.parse(f.get('personne.json')!.toString()) as { papers: { sha256: string }[] };
      data.papers[0]!.sha256 = sha(notPdf);
      const json = Buffer.from(JSON.stringify(data));
      f.set('personne.json', json);
      const m = JSON.parse(f.get('manifest.json')!.toString()) as { files: { path: string; sha256: string; bytes: number }[] };
      for (const e of m.files) {
        const bytes = e.path === 'personne.json' ? json : e.path === 'pieces/01-autre.pdf' ? notPdf : null;
        if (bytes) Object.assign(e, { sha256: sha(bytes), bytes: bytes.byteLength });
      }
      f.set('manifest.json', Buffer.from(JSON.stringify(m)));
    });
    await expect(b.call('people:importData', { zip: zipBad })).rejects.toMatchObject({ code: expect.stringMatching(/VALIDATION|IMPORT_UNREADABLE/) });
    expect((await b.call('people:search', { query: '', limit: 50 })).items.length).toBe(before);
    const db = b.core.session()!.ctx.db;
    expect(await db('consents').where({ purpose: 'Partage avec le CCAS' }).count({ n: '*' })).toEqual([{ n: 1 }]); // the first import's only
  });
});
