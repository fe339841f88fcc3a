/**
 * A write and its change_log (outbox) entry are one transaction (DESIGN.md "Data model rules"): if the entry cannot be
 * written, the row is not committed either — otherwise the change would never be synced.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTestCore, type TestCore } from '../helpers/core';

const person = { firstName: 'Hélène', lastName: 'Lefèvre', kinds: ['member' as const] };

describe('Mutator writes are atomic with their change_log entry', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  const db = () => t.core.session()!.ctx.db;
  const breakChangeLog = () => db().raw("CREATE TEMP TRIGGER fail_log BEFORE INSERT ON change_log BEGIN SELECT RAISE(ABORT, 'outbox indisponible'); END");

  it('insert: no person without its entry', async () => {
    await breakChangeLog();
    await expect(t.call('people:create', { person })).rejects.toThrow();
    expect(await db()('people').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('update: no changed column without its entry', async () => {
    const { id } = await t.call('people:create', { person });
    await breakChangeLog();
    await expect(t.call('people:update', { id, person: { ...person, firstName: 'Hélèna' } })).rejects.toThrow();
    expect(await db()('people').where({ id }).first('first_name')).toEqual({ first_name: 'Hélène' });
  });

  it('tombstone: no deletion without its entry', async () => {
    const { id } = await t.call('people:create', { person });
    await breakChangeLog();
    await expect(t.core.session()!.ctx.mutator.tombstone('people', id)).rejects.toThrow();
    expect(await db()('people').where({ id }).first('deleted_at')).toEqual({ deleted_at: null });
  });
});
