/**
 * `papers:readMrz` through the real core and OCR engine: a passport specimen prefills type and expiry, differences
 * with the person's record are named (accents and case ignored), a stored paper can be read again, permissions and
 * hostile input are refused in French, and nothing read from the MRZ is kept: after the paper is added with what the
 * form keeps, no table of the database (audit trail included) holds an MRZ line, the document number or the names
 * as the MRZ writes them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopOcrEngine } from '../../../main/ocr/engine';
import { addUser, caught, expectForbidden, switchTo } from '../../helpers/access';
import { newTestCore, tempDir, type TestCore } from '../../helpers/core';
import { asInsider } from '../../helpers/insider';
import { specimenPng, td3 } from '../../helpers/mrzSpecimens';

const passport = td3({ last: 'DIALLO', first: 'AMINATA', birth: '880730', sex: 'F', expiry: '330415', number: '24QK9P718' });
let t: TestCore;
let png: Uint8Array;

beforeAll(async () => {
  const out = join(tempDir('mrz-channel-'), 'passeport.png');
  specimenPng(passport, out);
  png = new Uint8Array(readFileSync(out));
  t = await newTestCore();
});
afterAll(async () => {
  await stopOcrEngine();
  await t.cleanup();
});

describe('papers:readMrz', () => {
  let personId: string;
  let documentId: string;

  it('reads a passport being added: type and expiry to prefill, nothing differs from a record with accents', async () => {
    personId = (await t.call('people:create', { person: { firstName: 'Aminata', lastName: 'Diallo', birthDate: '1988-07-30' } })).id;
    const r = await t.call('papers:readMrz', { personId, files: [{ name: 'passeport.png', bytes: png }] });
    expect(r.reading).toMatchObject({ kind: 'TD3', documentType: 'passeport', expiresOn: '2033-04-15', valid: true, lastName: 'DIALLO' });
    expect(r.mismatches).toEqual([]);
  });

  it('names the name and birth date that differ from the record', async () => {
    const other = (await t.call('people:create', { person: { firstName: 'Aminata', lastName: 'Diallo-Sow', birthDate: '1988-03-07' } })).id;
    const r = await t.call('papers:readMrz', { personId: other, files: [{ name: 'passeport.png', bytes: png }] });
    expect(r.mismatches).toEqual([
      { field: 'lastName', onPaper: 'DIALLO', onRecord: 'Diallo-Sow' },
      { field: 'birthDate', onPaper: '1988-07-30', onRecord: '1988-03-07' },
    ]);
  });

  it('reads a stored paper again, and keeps nothing of the MRZ in the database', async () => {
    const r = await t.call('papers:readMrz', { personId, files: [{ name: 'passeport.png', bytes: png }] });
    // What the form keeps: the type and the expiry, nothing else read from the paper.
    const meta = { type: r.reading!.documentType, expiresOn: r.reading!.expiresOn };
    documentId = (await t.call('vault:addDocument', { personId, meta, files: [{ name: 'passeport.png', bytes: png }] })).id;
    const again = await t.call('papers:readMrz', { documentId });
    expect(again.reading).toMatchObject({ valid: true, documentType: 'passeport', expiresOn: '2033-04-15' });

    const needles = [passport[0]!, passport[1]!, passport[0]!.slice(5, 20), '24QK9P718', 'DIALLO<<', '8807300', '3304158'];
    const found = await asInsider(t, 'admin', async (db) => {
      const tables = (await db.raw("SELECT name FROM sqlite_master WHERE type = 'table'")) as { name: string }[];
      const hits: string[] = [];
      let control = false;
      for (const { name } of tables) {
        const rows = (await db(name).select('*')) as Record<string, unknown>[];
        const text = JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
        for (const n of needles) if (text.includes(n)) hits.push(`${name}: ${n}`);
        control ||= text.includes(documentId);
      }
      return { hits, control, tables: tables.map((x) => x.name) };
    });
    expect(found.tables.some((n) => /audit/.test(n))).toBe(true);
    expect(found.hits).toEqual([]);
    // The scan does see the rows: the paper's id is found the same way.
    expect(found.control).toBe(true);
  });

  it('refuses users without the permission, hostile files and unknown people, in French', async () => {
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: 'correct horse battery' });
    await addUser(t, 'lecture', 'readonly');
    await switchTo(t, 'lecture');
    await expectForbidden(t.call('papers:readMrz', { personId, files: [{ name: 'passeport.png', bytes: png }] }), 'documents.add');
    await expectForbidden(t.call('papers:readMrz', { documentId }), 'documents.read');
    await switchTo(t, 'admin');
    const empty = await caught(t.call('papers:readMrz', { personId, files: [{ name: 'vide.png', bytes: new Uint8Array() }] }));
    expect(empty).toMatchObject({ code: 'VALIDATION' });
    expect(empty?.message).toMatch(/fichier vide ou trop volumineux/);
    const five = Array.from({ length: 5 }, (_, i) => ({ name: `p${i}.png`, bytes: png }));
    const tooMany = await caught(t.call('papers:readMrz', { personId, files: five }));
    expect(tooMany).toMatchObject({ code: 'VALIDATION' });
    expect(tooMany?.message).toMatch(/4 fichiers au plus/);
    const both = await caught(t.call('papers:readMrz', { personId, documentId, files: [{ name: 'p.png', bytes: png }] }));
    expect(both?.message).toMatch(/soit la personne et ses fichiers/);
    expect(await caught(t.call('papers:readMrz', { personId }))).toMatchObject({ code: 'VALIDATION' });
    expect(await caught(t.call('papers:readMrz', { personId: '0193a0b4-0000-7000-8000-000000000000', files: [{ name: 'p.png', bytes: png }] }))).toMatchObject({ code: 'NOT_FOUND' });
    // Not an image: no reading, no error.
    const text = await t.call('papers:readMrz', { personId, files: [{ name: 'note.txt', bytes: new TextEncoder().encode('P<FRA') }] });
    expect(text).toEqual({ reading: null, mismatches: [] });
  });
});
