/**
 * Gifts and tax receipts through the contract (docs/treasury.md « Dons et reçus fiscaux »): settings needed first,
 * one receipt per gift and the yearly « cumul », a gift never on two receipts (nor after HelloAsso's), numbers
 * continuous in this PC's series, cancel keeps the number and prints « ANNULÉ », art. 222 bis figures without the
 * cancelled ones, the CERFA 11580*05 PDF read back with pdftotext (every field, the words, the ticked boxes), the
 * erasure legal hold, the permissions, the audit trail, and a folder restored from a backup issuing in a new series.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { restoreBackup } from '../../main/services/backup/restore';
import { GiftsService } from '../../main/services/treasury/giftsService';
import { parseReceiptNumber } from '../../shared/domain/receiptNumber';
import { PASSWORD, TEST_KDF, newTestCore, tempDir, type TestCore } from '../helpers/core';
import { addUser, caught, switchTo } from '../helpers/access';

const YEAR = new Date().getFullYear();
const SETTINGS = {
  name: 'Entraide Paris 11',
  sirenOrRna: 'W751234567',
  address: '12 rue de la Roquette',
  postalCode: '75011',
  city: 'Paris',
  object: 'Aide alimentaire et accompagnement social des familles',
  orgKind: 'food_care_housing_aid' as const,
  orgKindDetail: '',
  articles: ['200' as const],
  signatoryName: 'Claire Fontaine',
  signatoryTitle: 'Trésorière',
  place: 'Paris',
};

function pdfText(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'recu-'));
  writeFileSync(join(dir, 'r.pdf'), bytes);
  return execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
}

/** True when the box before `label` is ticked on the page (« X » drawn in the box, then the label). */
const ticked = (text: string, label: string) => new RegExp(`X\\s+${label.replace(/[()]/g, '\\$&')}`).test(text);

describe('gifts and tax receipts', () => {
  let t: TestCore;
  let donor: string;
  let other: string;

  beforeAll(async () => {
    t = await newTestCore();
    donor = (await t.call('people:create', { person: { firstName: 'Lucienne', lastName: 'Marchetti', addressLine: '4 impasse des Lilas', postalCode: '93100', city: 'Montreuil', kinds: ['member'] } })).id;
    other = (await t.call('people:create', { person: { firstName: 'Bernard', lastName: 'Sansadresse', kinds: ['member'] } })).id;
  }, 60_000);
  afterAll(async () => t.cleanup());

  it('refuses a receipt while the settings lack what the form needs, naming the fields', async () => {
    const gift = await t.call('gifts:add', { personId: donor, amountCents: 1000, givenOn: `${YEAR}-01-05`, method: 'cash' });
    const e = await caught(t.call('receipts:issue', { giftId: gift.id }));
    expect(e).toMatchObject({ code: 'VALIDATION' });
    expect(e!.message).toContain('SIREN ou RNA');
    expect(e!.message).toContain('signataire');
    expect(await caught(t.call('receipts:saveSettings', { ...SETTINGS, sirenOrRna: '1234' }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('SIREN ou RNA') });
    expect(await t.call('receipts:saveSettings', SETTINGS)).toMatchObject({ sirenOrRna: 'W751234567' });
    expect((await t.call('gifts:list', { year: YEAR })).items[0]).toMatchObject({ amountCents: 1000, receiptNumber: null, receiptableHere: true });
  });

  it('issues one receipt per gift, numbered without gaps in this PC’s series; a gift never goes on two receipts', async () => {
    const g1 = await t.call('gifts:add', { personId: donor, amountCents: 28050, givenOn: `${YEAR}-03-12`, method: 'cheque', form: 'manual', nature: 'cash' });
    const r1 = await t.call('receipts:issue', { giftId: g1.id });
    const g2 = await t.call('gifts:add', { personId: donor, amountCents: 7100, givenOn: `${YEAR}-04-01`, method: 'transfer' });
    const r2 = await t.call('receipts:issue', { giftId: g2.id });
    const [a, b] = [parseReceiptNumber(r1.number)!, parseReceiptNumber(r2.number)!];
    expect(a).toMatchObject({ year: YEAR, seq: 1 });
    expect(b).toEqual({ year: YEAR, series: a.series, seq: 2 });
    expect(await caught(t.call('receipts:issue', { giftId: g1.id }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('déjà sur un reçu') });
    const gifts = (await t.call('gifts:list', { personId: donor })).items;
    expect(gifts.find((g) => g.id === g1.id)).toMatchObject({ receiptNumber: r1.number, receiptableHere: false });
  });

  it('never receipts a gift whose receipt HelloAsso issued', async () => {
    const s = t.core.session()!;
    const g = await new GiftsService(s.ctx).add({ personId: donor, amountCents: 5000, givenOn: `${YEAR}-05-02`, method: 'card' }, { source: 'helloasso:REF-778', externalReceipt: true });
    expect(await new GiftsService(s.ctx).add({ personId: donor, amountCents: 5000, givenOn: `${YEAR}-05-02`, method: 'card' }, { source: 'helloasso:REF-778', externalReceipt: true })).toEqual(g);
    expect(await caught(t.call('receipts:issue', { giftId: g.id }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('HelloAsso') });
  });

  it('issues the yearly « cumul » of the gifts not yet receipted, once', async () => {
    await t.call('gifts:add', { personId: donor, amountCents: 2000, givenOn: `${YEAR}-06-10`, method: 'cash' });
    const r = await t.call('receipts:issue', { personId: donor, year: YEAR });
    expect(parseReceiptNumber(r.number)!.seq).toBe(3);
    const row = (await t.call('receipts:list', { year: YEAR })).items.find((x) => x.number === r.number)!;
    // The first gift (10 €) and this one (20 €): the others are on receipts or HelloAsso's.
    expect(row).toMatchObject({ kind: 'yearly', amountCents: 3000, status: 'issued', personId: donor });
    expect(await caught(t.call('receipts:issue', { personId: donor, year: YEAR }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('Aucun don') });
    const text = pdfText((await t.call('receipts:pdf', { number: r.number })).pdf);
    expect(text).toContain(`cumul ${YEAR}`);
    expect(text).toContain('trente euros');
    expect(ticked(text, "Remise d'espèces")).toBe(true);
  });

  it('prints every field of CERFA 11580*05, the amount in words and the ticked boxes', async () => {
    const number = (await t.call('receipts:list', { year: YEAR })).items[0]!.number;
    const text = pdfText((await t.call('receipts:pdf', { number })).pdf);
    for (const field of [
      'CERFA n° 11580*05',
      "Reçu au titre des dons à certains organismes d'intérêt général",
      `Numéro d'ordre du reçu : ${number}`,
      'Entraide Paris 11',
      'W751234567',
      '12 rue de la Roquette, 75011 Paris',
      'Aide alimentaire et accompagnement social des familles',
      'Marchetti',
      'Lucienne',
      '4 impasse des Lilas',
      'Montreuil',
      '280,50 euros',
      'deux cent quatre-vingts euros et cinquante centimes',
      `12/03/${YEAR}`,
      'Claire Fontaine, Trésorière',
      'Signature',
    ]) {
      expect(text, field).toContain(field);
    }
    expect(ticked(text, 'Chèque')).toBe(true);
    expect(ticked(text, "Remise d'espèces")).toBe(false);
    expect(ticked(text, 'Déclaration de don manuel')).toBe(true);
    expect(ticked(text, 'Acte authentique')).toBe(false);
    expect(ticked(text, 'Numéraire')).toBe(true);
    expect(ticked(text, '200 du CGI')).toBe(true);
    expect(ticked(text, '978 du CGI')).toBe(false);
    expect(ticked(text, 'Association fournissant gratuitement une aide alimentaire')).toBe(true);
    expect(text).not.toContain('ANNULÉ');
  });

  it('cancels without deleting: the number stays, the PDF says « ANNULÉ », art. 222 bis figures leave it out', async () => {
    const before = await t.call('receipts:summary', { year: YEAR });
    expect(before).toEqual({ year: YEAR, count: 3, totalCents: 28050 + 7100 + 3000 });
    const number = (await t.call('receipts:list', { year: YEAR })).items[1]!.number;
    const c = await t.call('receipts:cancel', { number, reason: 'Montant erroné' });
    expect(c).toMatchObject({ number, status: 'cancelled', amountCents: 7100 });
    expect(await caught(t.call('receipts:cancel', { number, reason: 'encore' }))).toMatchObject({ code: 'VALIDATION' });
    expect(await t.call('receipts:summary', { year: YEAR })).toEqual({ year: YEAR, count: 2, totalCents: 28050 + 3000 });
    expect((await t.call('receipts:list', { year: YEAR })).items.map((r) => r.status)).toEqual(['issued', 'cancelled', 'issued']);
    const text = pdfText((await t.call('receipts:pdf', { number })).pdf);
    expect(text).toContain('ANNULÉ');
    expect(text).toContain('Montant erroné');
    // Its gift may go on a new receipt, which takes the next number.
    const gift = (await t.call('gifts:list', { personId: donor })).items.find((g) => g.amountCents === 7100)!;
    expect(gift.receiptNumber).toBeNull();
    expect(parseReceiptNumber((await t.call('receipts:issue', { giftId: gift.id })).number)!.seq).toBe(4);
  });

  it('refuses a donor without an address, and a hostile number', async () => {
    const g = await t.call('gifts:add', { personId: other, amountCents: 500, givenOn: `${YEAR}-02-02`, method: 'cash' });
    expect(await caught(t.call('receipts:issue', { giftId: g.id }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('Bernard Sansadresse') });
    expect(await caught(t.call('receipts:pdf', { number: "2026-' OR 1=1 --" }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await caught(t.call('gifts:add', { personId: donor, amountCents: 0, givenOn: `${YEAR}-02-02`, method: 'cash' }))).toMatchObject({ code: 'VALIDATION' });
    expect(await caught(t.call('gifts:add', { personId: donor, amountCents: 100, givenOn: `${YEAR}-02-31`, method: 'cash' }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('Date du don') });
  });

  it('refuses to erase a donor who has a receipt (6-year legal hold)', async () => {
    const e = await caught(t.call('people:erase', { id: donor, confirmName: 'Lucienne Marchetti' }));
    expect(e).toMatchObject({ code: 'LEGAL_HOLD', message: expect.stringContaining('reçu fiscal') });
    expect((await t.call('people:get', { id: donor })).person.lastName).toBe('Marchetti');
  });

  it('keeps amounts sealed and the treasury closed to a social worker; every issue, cancel and print is audited', async () => {
    const db = t.core.session()!.ctx.db;
    const rows = (await db('gifts').select('ciphertext')) as { ciphertext: string }[];
    for (const r of rows) expect(r.ciphertext).not.toContain('28050');
    const audit = (await t.call('audit:list', { limit: 200 })) as { items: { action: string }[] };
    const actions = audit.items.map((a) => a.action);
    for (const a of ['gift.record', 'receipt.issue', 'receipt.cancel', 'receipt.print', 'receipt.settings']) expect(actions).toContain(a);
    await addUser(t, 'sandrine', 'social_worker');
    await switchTo(t, 'sandrine');
    try {
      for (const work of [
        t.call('gifts:list', { year: YEAR }),
        t.call('receipts:list', { year: YEAR }),
        t.call('receipts:issue', { personId: donor, year: YEAR }),
        t.call('gifts:add', { personId: donor, amountCents: 100, givenOn: `${YEAR}-02-02`, method: 'cash' }),
      ]) {
        expect(await caught(work)).toMatchObject({ code: 'FORBIDDEN' });
      }
    } finally {
      await switchTo(t, 'admin');
    }
  });

  it('a treasurer (role « Trésorerie ») records a gift, reads the amounts, issues and prints the receipt', async () => {
    await addUser(t, 'claire', 'treasurer');
    await switchTo(t, 'claire');
    try {
      const g = await t.call('gifts:add', { personId: donor, amountCents: 1234, givenOn: `${YEAR}-08-08`, method: 'cheque' });
      const r = await t.call('receipts:issue', { giftId: g.id });
      expect((await t.call('receipts:list', { year: YEAR })).items.find((x) => x.number === r.number)).toMatchObject({ amountCents: 1234 });
      // Amounts written by the administrator are readable too (the treasury key, not the writer's).
      expect((await t.call('gifts:list', { personId: donor })).items.every((x) => x.amountCents !== null)).toBe(true);
      expect(pdfText((await t.call('receipts:pdf', { number: r.number })).pdf)).toContain('douze euros et trente-quatre centimes');
    } finally {
      await switchTo(t, 'admin');
    }
  });

  it('a folder restored from a backup issues in a new series and never reuses a number', async () => {
    const dest = tempDir('recus-sauvegardes-');
    const { path } = await t.call('backup:now', { to: dest });
    const into = join(tempDir('recus-restaure-'), 'Restauree.solidariciel');
    await restoreBackup(path, into, { userName: 'admin', password: PASSWORD });
    const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
    const call = async (channel: string, request: unknown) => {
      const env = await dispatch(core.handlers, channel as never, request as never, noEvents);
      if (!env.ok) throw Object.assign(new Error(env.error.message), { code: env.error.code });
      return env.value as never;
    };
    try {
      await call('session:unlock', { dir: into, userName: 'admin', password: PASSWORD });
      const g = (await call('gifts:add', { personId: donor, amountCents: 4200, givenOn: `${YEAR}-07-07`, method: 'cash' })) as { id: string };
      const copy = parseReceiptNumber(((await call('receipts:issue', { giftId: g.id })) as { number: string }).number)!;
      const original = (await t.call('receipts:list', { year: YEAR })).items.map((r) => parseReceiptNumber(r.number)!);
      expect(original.every((n) => n.series !== copy.series)).toBe(true);
      expect(copy.seq).toBe(1);
    } finally {
      await core.close();
    }
  }, 60_000);
});
