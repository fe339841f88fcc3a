/**
 * The late records of an erased person (docs/erasure.md "The erasure register"): a note written offline on device B
 * for a person erased on A. B's sweep removes it and writes its register line through the Mutator (so it travels by
 * sync, with the person's erasure date); device C, which received only a later edit of that note (a placeholder row
 * without its person), recognises the id from that line and removes the placeholder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { readErasureRegister, sweepErasures } from '../../main/db/erasure';
import { newTestCore, type TestCore } from '../helpers/core';

const ERASED_AT = '2026-12-01T10:00:00.000Z';

describe('late records of an erased person', () => {
  let b: TestCore;
  let c: TestCore;
  let personId: string;
  let noteId: string;
  const erasureArrives = (db: Knex, id: string) =>
    db('erasures').insert({ id, kind: 'people', person_id: id, blob_name: null, erased_at: ERASED_AT, created_at: ERASED_AT, updated_at: ERASED_AT, deleted_at: null, scope_id: 'association' });

  beforeAll(async () => {
    b = await newTestCore();
    c = await newTestCore();
    personId = (await b.call('people:create', { person: { firstName: 'Ninon', lastName: 'Vasseur', kinds: ['beneficiary'] } })).id;
    await b.call('notes:add', { personId, text: 'Note écrite hors ligne', visibility: { kind: 'everyone' } });
    noteId = ((await b.core.session()!.ctx.db('case_notes').where({ person_id: personId }).first('id')) as { id: string }).id;
  }, 60_000);

  afterAll(async () => {
    await b?.cleanup();
    await c?.cleanup();
  });

  it('on the device that wrote it: removed, and its register line written through the Mutator (synced)', async () => {
    const { db, mutator } = b.core.session()!.ctx;
    await erasureArrives(db, personId);
    const before = Number(((await db('change_log').where({ table_name: 'erasures' }).count({ n: '*' })) as { n: number }[])[0]?.n);
    await db.transaction((trx) => sweepErasures(trx, mutator.with(trx)));
    expect(await db('case_notes').where({ id: noteId }).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await db('people').where({ id: personId }).count({ n: '*' })).toEqual([{ n: 0 }]);
    const line = (await readErasureRegister(db)).find((e) => e.id === noteId);
    expect(line).toEqual({ id: noteId, kind: 'case_notes', personId, blobName: null, erasedAt: ERASED_AT });
    const log = (await db('change_log').where({ table_name: 'erasures' }).select('row_ids')) as { row_ids: string }[];
    expect(log.length).toBe(before + 1);
    expect(JSON.parse(log.at(-1)!.row_ids)).toContain(noteId);
  });

  it('on a device that received only a later edit: the placeholder without its person is removed once the line arrives', async () => {
    const { db } = c.core.session()!.ctx;
    await erasureArrives(db, personId);
    // What a merge writes for an update that arrives before its insert: NOT NULL columns hold placeholders.
    const at = '2026-12-02T08:00:00.000Z';
    await db('case_notes').insert({ id: noteId, note_id: '', person_id: '', author_id: '', body: 'Note modifiée hors ligne', created_at: at, updated_at: at, deleted_at: null, scope_id: 'association' });
    await db.transaction((trx) => sweepErasures(trx));
    expect(await db('case_notes').where({ id: noteId }).count({ n: '*' })).toEqual([{ n: 1 }]);
    // B's line arrives (as the merge writes it), then the sweep of the same page removes the placeholder.
    const line = (await readErasureRegister(b.core.session()!.ctx.db)).find((e) => e.id === noteId)!;
    await db('erasures').insert({ id: line.id, kind: line.kind, person_id: line.personId, blob_name: null, erased_at: line.erasedAt, created_at: at, updated_at: at, deleted_at: null, scope_id: 'association' });
    await db.transaction((trx) => sweepErasures(trx));
    expect(await db('case_notes').where({ id: noteId }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
