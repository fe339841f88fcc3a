/**
 * `treasury gifts add` and `treasury receipts issue | pdf | cancel | list | summary | settings` (docs/treasury.md
 * « Dons et reçus fiscaux »). Amounts as `123,45` or `123.45` (shared/domain/money.ts), dates `YYYY-MM-DD`.
 * Arguments are checked before the unlock (usage errors exit 2).
 */
import { resolve } from 'node:path';
import { GIFT_FORMS, GIFT_METHODS, GIFT_NATURES, ORG_KINDS, CGI_ARTICLES, type CgiArticle } from '../../../shared/domain/gift';
import { parseAmount } from '../../../shared/domain/money';
import { UsageError, checkId, optional, optionalDate, required, type Cli } from '../context';
import { writeNewFile } from '../files';
import type { Command } from './types';

function oneOf<T extends string>(values: Record<string, unknown>, name: string, allowed: readonly T[], fallback?: T): T {
  const v = optional(values, name) ?? fallback;
  if (v === undefined) throw new UsageError(`Option --${name} obligatoire (${allowed.join('|')}).`);
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`Option --${name} : « ${v} » inconnu. Valeurs possibles : ${allowed.join(', ')}.`);
  return v as T;
}

function year(values: Record<string, unknown>): number {
  const v = required(values, 'year');
  if (!/^\d{4}$/.test(v)) throw new UsageError(`Option --year : année sur quatre chiffres attendue (reçu « ${v} »).`);
  return Number(v);
}

async function unlock(cli: Cli, dir: string, values: Record<string, unknown>): Promise<void> {
  await cli.unlock(dir, optional(values, 'user'));
}

const euros = (cents: number) => `${Math.trunc(cents / 100)},${String(cents % 100).padStart(2, '0')} €`;

export const receiptCommands: Command[] = [
  {
    words: 'treasury gifts add',
    usage: 'treasury gifts add DIR --member ID --amount A --method cash|cheque|transfer|card|direct_debit --date YYYY-MM-DD [--form manual|private_deed|notarial|other] [--nature cash|securities|waived_income|volunteer_expenses|other] [--json]',
    options: { member: { type: 'string' }, amount: { type: 'string' }, method: { type: 'string' }, date: { type: 'string' }, form: { type: 'string' }, nature: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const personId = checkId(required(values, 'member'), 'Option --member');
      const amount = parseAmount(required(values, 'amount'), '--amount');
      if (!amount.ok) throw new UsageError(amount.message);
      const method = oneOf(values, 'method', GIFT_METHODS);
      const givenOn = optionalDate(values, 'date');
      if (!givenOn) throw new UsageError('Option --date obligatoire.');
      const form = oneOf(values, 'form', GIFT_FORMS, 'manual');
      const nature = oneOf(values, 'nature', GIFT_NATURES, 'cash');
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('gifts:add', { personId, amountCents: amount.cents, givenOn, method, form, nature });
      if (json) cli.json({ id: r.id });
      else cli.say(`Don enregistré : ${r.id}`);
    },
  },
  {
    words: 'treasury receipts issue',
    usage: 'treasury receipts issue DIR (--gift ID | --member ID --year YYYY) [--json]',
    options: { gift: { type: 'string' }, member: { type: 'string' }, year: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const gift = optional(values, 'gift');
      if (gift && optional(values, 'member')) throw new UsageError('--gift ou --member, pas les deux.');
      const request = gift ? { giftId: checkId(gift, 'Option --gift') } : optional(values, 'member') ? { personId: checkId(required(values, 'member'), 'Option --member'), year: year(values) } : null;
      if (!request) throw new UsageError('Option --gift ou --member (avec --year) obligatoire.');
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('receipts:issue', request);
      if (json) cli.json(r);
      else cli.say(`Reçu fiscal émis : ${r.number}`);
    },
  },
  {
    words: 'treasury receipts pdf',
    usage: 'treasury receipts pdf DIR --number NUMBER --out FILE.pdf',
    options: { number: { type: 'string' }, out: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const number = required(values, 'number');
      const out = resolve(required(values, 'out'));
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('receipts:pdf', { number });
      await writeNewFile(out, r.pdf);
      if (json) cli.json({ path: out, bytes: r.pdf.byteLength });
      else cli.say(`Reçu écrit : ${out}`);
    },
  },
  {
    words: 'treasury receipts cancel',
    usage: 'treasury receipts cancel DIR --number NUMBER --reason TEXT [--json]',
    options: { number: { type: 'string' }, reason: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const number = required(values, 'number');
      const reason = required(values, 'reason');
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('receipts:cancel', { number, reason });
      if (json) cli.json({ number: r.number, status: r.status });
      else cli.say(`Reçu ${r.number} annulé (son numéro reste pris).`);
    },
  },
  {
    words: 'treasury receipts list',
    usage: 'treasury receipts list DIR --year YYYY [--json]',
    options: { year: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const y = year(values);
      await unlock(cli, positionals[0]!, values);
      const { items } = await cli.call('receipts:list', { year: y });
      if (json) cli.json(items.map((r) => ({ number: r.number, personId: r.personId, amountCents: r.amountCents, status: r.status, issuedOn: r.issuedOn })));
      else for (const r of items) cli.say(`${r.number}  ${r.issuedOn}  ${r.personName}  ${r.amountCents === null ? '—' : euros(r.amountCents)}${r.status === 'cancelled' ? '  ANNULÉ' : ''}`);
    },
  },
  {
    words: 'treasury receipts summary',
    usage: 'treasury receipts summary DIR --year YYYY [--json]',
    options: { year: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const y = year(values);
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('receipts:summary', { year: y });
      if (json) cli.json({ count: r.count, totalCents: r.totalCents });
      else cli.say(`${y} : ${r.count} reçu(s) émis, ${euros(r.totalCents)} (annulés exclus).`);
    },
  },
  {
    words: 'treasury receipts settings',
    usage:
      'treasury receipts settings DIR [--name N] [--siren SIREN|RNA] [--address A] [--postal-code CP] [--city C] [--object O] [--org-kind KIND] [--org-kind-detail T] [--articles 200,978] [--signatory NAME] [--signatory-title T] [--place P] [--json]',
    options: Object.fromEntries(
      ['name', 'siren', 'address', 'postal-code', 'city', 'object', 'org-kind', 'org-kind-detail', 'articles', 'signatory', 'signatory-title', 'place'].map((k) => [k, { type: 'string' as const }]),
    ),
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const orgKind = optional(values, 'org-kind') === undefined ? undefined : oneOf(values, 'org-kind', ORG_KINDS);
      const articlesText = optional(values, 'articles');
      const articles = articlesText?.split(',').map((a) => a.trim().replace(/^238bis$/, '238 bis'));
      if (articles?.some((a) => !(CGI_ARTICLES as readonly string[]).includes(a))) throw new UsageError(`Option --articles : articles possibles ${CGI_ARTICLES.join(', ')} (séparés par des virgules).`);
      await unlock(cli, positionals[0]!, values);
      const current = await cli.call('receipts:settings', {});
      const pick = (k: string, v: string) => optional(values, k) ?? v;
      const changed = ['name', 'siren', 'address', 'postal-code', 'city', 'object', 'org-kind', 'org-kind-detail', 'articles', 'signatory', 'signatory-title', 'place'].some((k) => optional(values, k) !== undefined);
      const r = !changed
        ? current
        : await cli.call('receipts:saveSettings', {
            name: pick('name', current.name),
            sirenOrRna: pick('siren', current.sirenOrRna),
            address: pick('address', current.address),
            postalCode: pick('postal-code', current.postalCode),
            city: pick('city', current.city),
            object: pick('object', current.object),
            orgKind: orgKind ?? current.orgKind,
            orgKindDetail: pick('org-kind-detail', current.orgKindDetail),
            articles: (articles as CgiArticle[] | undefined) ?? current.articles,
            signatoryName: pick('signatory', current.signatoryName),
            signatoryTitle: pick('signatory-title', current.signatoryTitle),
            place: pick('place', current.place),
          });
      if (json) cli.json(r);
      else cli.say(`Réglages des reçus : ${r.name || '(nom manquant)'} — ${r.sirenOrRna || '(SIREN/RNA manquant)'}`);
    },
  },
];
