/**
 * The beneficiary as the tax receipt prints it (CERFA n° 11580*05 « Bénéficiaire des versements »): name, SIREN or
 * RNA, address, object, kind of organisation, the articles of the CGI it certifies, signatory and place. One synced
 * row (`receipt_settings`, id `receipts`); the treasurer fills it before the first receipt (`missingSettings`).
 */
import type { Knex } from 'knex';
import { AppError } from '../../../shared/domain/errors';
import { CGI_ARTICLES, receiptSettings, type CgiArticle, type ReceiptSettings } from '../../../shared/domain/gift';
import type { ServiceContext } from '../context';

const ID = 'receipts';

const EMPTY: ReceiptSettings = {
  name: '',
  sirenOrRna: '',
  address: '',
  postalCode: '',
  city: '',
  object: '',
  orgKind: 'general_interest',
  orgKindDetail: '',
  articles: ['200'],
  signatoryName: '',
  signatoryTitle: '',
  place: '',
};

interface Row {
  name: string;
  siren_or_rna: string;
  address: string;
  postal_code: string;
  city: string;
  object: string;
  org_kind: string;
  org_kind_detail: string;
  articles: string;
  signatory_name: string;
  signatory_title: string;
  place: string;
}

function articlesOf(json: string): CgiArticle[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v.filter((a) => (CGI_ARTICLES as readonly unknown[]).includes(a)) as CgiArticle[]) : ['200'];
  } catch {
    return ['200'];
  }
}

/** The settings (defaults when never saved); parsed, a damaged row gives the defaults of its bad fields. */
export async function readReceiptSettings(db: Knex | Knex.Transaction): Promise<ReceiptSettings> {
  const r = (await db('receipt_settings').where({ id: ID }).first()) as Row | undefined;
  if (!r) return EMPTY;
  const parsed = receiptSettings.safeParse({
    name: r.name,
    sirenOrRna: r.siren_or_rna,
    address: r.address,
    postalCode: r.postal_code,
    city: r.city,
    object: r.object,
    orgKind: r.org_kind,
    orgKindDetail: r.org_kind_detail,
    articles: articlesOf(r.articles),
    signatoryName: r.signatory_name,
    signatoryTitle: r.signatory_title,
    place: r.place,
  });
  return parsed.success ? parsed.data : EMPTY;
}

/** The French names of the fields a receipt needs and the settings lack (empty: ready). */
export function missingSettings(s: ReceiptSettings): string[] {
  const need: [keyof ReceiptSettings, string][] = [
    ['name', 'nom de l’association'],
    ['sirenOrRna', 'SIREN ou RNA'],
    ['address', 'adresse'],
    ['postalCode', 'code postal'],
    ['city', 'commune'],
    ['object', 'objet'],
    ['signatoryName', 'signataire'],
    ['place', 'lieu de signature'],
  ];
  return need.filter(([k]) => String(s[k]).trim() === '').map(([, label]) => label);
}

/** Saves the settings (`treasury.issueReceipts`), audited. @throws AppError FORBIDDEN. */
export async function saveReceiptSettings(ctx: ServiceContext, input: ReceiptSettings): Promise<ReceiptSettings> {
  ctx.access.require('treasury.issueReceipts');
  const s = receiptSettings.parse(input);
  const row = {
    name: s.name,
    siren_or_rna: s.sirenOrRna.replace(/\s/g, ''),
    address: s.address,
    postal_code: s.postalCode,
    city: s.city,
    object: s.object,
    org_kind: s.orgKind,
    org_kind_detail: s.orgKindDetail,
    articles: JSON.stringify(s.articles),
    signatory_name: s.signatoryName,
    signatory_title: s.signatoryTitle,
    place: s.place,
  };
  await ctx.db.transaction(async (trx) => {
    const m = ctx.mutator.with(trx);
    if (await trx('receipt_settings').where({ id: ID }).first('id')) await m.update('receipt_settings', ID, row);
    else await m.insert('receipt_settings', [{ id: ID, ...row }]);
    await ctx.audit({ action: 'receipt.settings', targetType: 'settings', targetId: ID }, trx);
  });
  return readReceiptSettings(ctx.db);
}

/** Throws VALIDATION naming what the settings lack for a receipt. */
export function requireComplete(s: ReceiptSettings): void {
  const missing = missingSettings(s);
  if (missing.length > 0) throw new AppError('VALIDATION', `Réglages des reçus fiscaux incomplets : ${missing.join(', ')}. Complétez-les dans Trésorerie › Dons et reçus.`);
}
