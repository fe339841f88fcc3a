/**
 * The treasury scope (main/services/treasury/treasuryScope.ts, docs/treasury.md « Chiffrement »): sealed fields are
 * readable by holders of treasury.read only; the keys follow the signed roles (granted on gaining the permission,
 * rotated on losing it), and nothing is in clear in the folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { TreasuryScope, TREASURY_SCOPE } from '../../main/services/treasury/treasuryScope';
import { newTestCore, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';
import { leaks } from '../helpers/files';

function ctxOf(t: TestCore) {
  const s = t.core.session();
  if (!s) throw new Error('no session');
  return s.ctx;
}
async function sealNow(t: TestCore, fields: Record<string, unknown>) {
  const ctx = ctxOf(t);
  const id = uuidv7();
  const sealed = await ctx.db.transaction((trx) => new TreasuryScope(ctx.scopes).sealTreasury(trx, ctx.mutator, 'dues_payments', id, fields));
  return { id, ...sealed };
}
async function openNow(t: TestCore, r: { id: string; ciphertext: string; key_wraps: string }) {
  return new TreasuryScope(ctxOf(t).scopes).openTreasury<Record<string, unknown>>('dues_payments', r.id, r.ciphertext, r.key_wraps);
}
const epochs = async (t: TestCore) => (await ctxOf(t).db('scope_key_pairs').where({ key_scope: TREASURY_SCOPE }).max({ e: 'epoch' }).first()) as { e: number };

describe('treasury scope', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await newTestCore();
    await addUser(t, 'tresoriere', 'treasurer');
    await addUser(t, 'sociale', 'social_worker');
    await addUser(t, 'coord', 'coordinator');
    await addUser(t, 'ancien', 'treasurer');
  }, 60_000);
  afterAll(async () => t.cleanup());

  it('the administrator holds the treasury key from the creation; a treasurer added later gets it', async () => {
    expect(new TreasuryScope(ctxOf(t).scopes).readable).toBe(true);
    await switchTo(t, 'tresoriere');
    expect(new TreasuryScope(ctxOf(t).scopes).readable).toBe(true);
    await switchTo(t, 'sociale');
    expect(new TreasuryScope(ctxOf(t).scopes).readable).toBe(false);
  });

  it('seals for the holders only: a social worker reads nothing; the file holds no amount in clear', async () => {
    await switchTo(t, 'tresoriere');
    const r = await sealNow(t, { amountCents: 98765, method: 'cheque', chequeNumber: 'CHQ-4471902', bank: 'Banque Solidaire' });
    expect(await openNow(t, r)).toEqual({ amountCents: 98765, method: 'cheque', chequeNumber: 'CHQ-4471902', bank: 'Banque Solidaire' });
    expect(r.ciphertext).not.toContain('98765');
    await switchTo(t, 'admin');
    expect((await openNow(t, r))?.['amountCents']).toBe(98765);
    await switchTo(t, 'sociale');
    expect(await openNow(t, r)).toBeNull();
    // Altered ciphertext or another row's id: nothing opens.
    await switchTo(t, 'tresoriere');
    expect(await openNow(t, { ...r, id: uuidv7() })).toBeNull();
    expect(leaks(t.dir, ['CHQ-4471902', 'Banque Solidaire'])).toEqual([]);
  });

  it('a role gaining treasury.read gives its users the keys, history included', async () => {
    await switchTo(t, 'tresoriere');
    const before = await sealNow(t, { amountCents: 4321 });
    await switchTo(t, 'admin');
    const coordinator = (await t.call('roles:list', {})).items.find((r) => r.id === 'coordinator')!;
    await t.call('roles:save', { id: 'coordinator', name: coordinator.name, permissions: [...coordinator.permissions, 'treasury.read'] });
    await switchTo(t, 'coord');
    expect((await openNow(t, before))?.['amountCents']).toBe(4321);
  });

  it('a treasurer moved to another role starts a new epoch they cannot read; what came before stays readable', async () => {
    await switchTo(t, 'ancien');
    const old = await sealNow(t, { amountCents: 1111 });
    await switchTo(t, 'admin');
    const e0 = (await epochs(t)).e;
    const ancien = (await t.call('users:list', {})).items.find((u) => u.name === 'ancien')!;
    await t.call('users:update', { id: ancien.id, roleId: 'social_worker' });
    expect((await epochs(t)).e).toBe(e0 + 1);
    const after = await sealNow(t, { amountCents: 2222 });
    await switchTo(t, 'ancien');
    expect(await openNow(t, after)).toBeNull();
    expect((await openNow(t, old))?.['amountCents']).toBe(1111);
    await switchTo(t, 'tresoriere');
    expect((await openNow(t, after))?.['amountCents']).toBe(2222);
  });

  it('a role changed in the database without the root signature gives no key', async () => {
    await switchTo(t, 'sociale');
    const db = ctxOf(t).db;
    await db('roles').where({ id: 'social_worker' }).update({ permissions: JSON.stringify(['people.read', 'treasury.read']) });
    await switchTo(t, 'admin');
    await switchTo(t, 'sociale');
    expect(new TreasuryScope(ctxOf(t).scopes).readable).toBe(false);
  });
});
