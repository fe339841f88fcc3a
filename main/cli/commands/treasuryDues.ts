/**
 * `treasury fees add`, `treasury dues pay`, `treasury dues list` (docs/treasury.md « Cotisations »; issue 10 §9).
 * Amounts as `123,45` or `123.45` (shared/domain/money.ts); a malformed amount, date or status is a usage error.
 */
import { DUES_STATUSES, feePeriod, PAYMENT_METHODS, type DuesStatus, type PaymentMethod } from '../../../shared/domain/dues';
import { formatCents, parseAmount } from '../../../shared/domain/money';
import { checkId, optional, optionalDate, required, UsageError, type Cli } from '../context';
import type { Command } from './types';

/** The category of a fee type given one plain `--amount`. */
export const DEFAULT_CATEGORY = 'Plein tarif';

const cents = (text: string, what: string): number => {
  const r = parseAmount(text, what);
  if (!r.ok) throw new UsageError(r.message);
  return r.cents;
};

/** `--amount 20,00` or repeated `--amount "Réduit=10,00"` → `{ category: cents }`. */
function amountsOf(values: Record<string, unknown>): Record<string, number> {
  const raw = values['amount'];
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as string[];
  if (list.length === 0) throw new UsageError('Option --amount obligatoire (par exemple --amount 20,00, ou --amount "Réduit=10,00" pour chaque catégorie).');
  const out: Record<string, number> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    const category = eq >= 0 ? item.slice(0, eq).trim() : DEFAULT_CATEGORY;
    if (!category) throw new UsageError(`Option --amount : catégorie vide dans « ${item} ».`);
    out[category] = cents(eq >= 0 ? item.slice(eq + 1) : item, `Option --amount`);
  }
  return out;
}

function oneOf<T extends string>(values: Record<string, unknown>, name: string, allowed: readonly T[]): T | undefined {
  const v = optional(values, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`Option --${name} : ${allowed.join(', ')} attendu (reçu « ${v} »).`);
  return v as T;
}

async function unlock(cli: Cli, dir: string, values: Record<string, unknown>): Promise<void> {
  await cli.unlock(dir, optional(values, 'user'));
}

export const duesCommands: Command[] = [
  {
    words: 'treasury fees add',
    usage: 'treasury fees add DIR --name NOM --amount MONTANT [--amount CATÉGORIE=MONTANT …] --period year|months:N|dates:MM-JJ|once [--json]',
    options: { name: { type: 'string' }, amount: { type: 'string', multiple: true }, period: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const name = required(values, 'name');
      const amounts = amountsOf(values);
      const period = feePeriod.safeParse(required(values, 'period'));
      if (!period.success) throw new UsageError(`Option --period : year, months:N (1 à 60), dates:MM-JJ ou once attendu (reçu « ${String(values['period'])} »).`);
      await unlock(cli, positionals[0]!, values);
      const { id } = await cli.call('dues:saveFeeType', { name, amounts, period: period.data });
      if (json) cli.json({ id });
      else cli.say(`Type de cotisation « ${name} » créé : ${id} (${Object.entries(amounts).map(([c, a]) => `${c} ${formatCents(a)}`).join(', ')}).`);
    },
  },
  {
    words: 'treasury fees list',
    usage: 'treasury fees list DIR [--json]',
    options: {},
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await unlock(cli, positionals[0]!, values);
      const { items } = await cli.call('dues:feeTypes', {});
      if (json) cli.json(items);
      else for (const f of items) cli.say(`${f.id}  ${f.name}  ${f.period}  ${Object.entries(f.amounts).map(([c, a]) => `${c} ${formatCents(a)}`).join(', ')}`);
    },
  },
  {
    words: 'treasury fees map-tariff',
    usage: 'treasury fees map-tariff DIR --tariff TARIF --fee ID [--category CATÉGORIE] [--json]   (tarif HelloAsso → type de cotisation)',
    options: { tariff: { type: 'string' }, fee: { type: 'string' }, category: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const tariff = required(values, 'tariff');
      const feeTypeId = checkId(required(values, 'fee'), 'Option --fee');
      const category = optional(values, 'category');
      await unlock(cli, positionals[0]!, values);
      await cli.call('dues:mapTariff', { source: 'helloasso', tariff, feeTypeId, ...(category ? { category } : {}) });
      if (json) cli.json({ tariff, feeTypeId });
      else cli.say(`Tarif « ${tariff} » associé au type de cotisation ${feeTypeId}.`);
    },
  },
  {
    words: 'treasury dues pay',
    usage: 'treasury dues pay DIR --member ID --fee ID --amount MONTANT --method cash|cheque|transfer|card|direct_debit|helloasso --date AAAA-MM-JJ [--cheque-number N] [--bank BANQUE] [--category CATÉGORIE] [--note TEXTE] [--json]',
    options: { member: { type: 'string' }, fee: { type: 'string' }, amount: { type: 'string' }, method: { type: 'string' }, date: { type: 'string' }, 'cheque-number': { type: 'string' }, bank: { type: 'string' }, category: { type: 'string' }, note: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const personId = checkId(required(values, 'member'), 'Option --member');
      const feeTypeId = checkId(required(values, 'fee'), 'Option --fee');
      const amountCents = cents(required(values, 'amount'), 'Option --amount');
      const method = oneOf<PaymentMethod>(values, 'method', PAYMENT_METHODS);
      if (!method) throw new UsageError(`Option --method obligatoire : ${PAYMENT_METHODS.join(', ')}.`);
      const paidOn = optionalDate(values, 'date');
      if (!paidOn) throw new UsageError('Option --date obligatoire (AAAA-MM-JJ).');
      const extra = { chequeNumber: optional(values, 'cheque-number'), bank: optional(values, 'bank'), category: optional(values, 'category'), note: optional(values, 'note') };
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('dues:pay', { personId, feeTypeId, amountCents, method, paidOn, ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) });
      if (json) cli.json({ paymentId: r.paymentId, status: r.status });
      else cli.say(`Paiement enregistré : ${r.paymentId} (${formatCents(amountCents)}) ; statut : ${r.status}.`);
    },
  },
  {
    words: 'treasury dues list',
    usage: 'treasury dues list DIR [--status up_to_date|due_soon|late|never|exempt] [--json]',
    options: { status: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const status = oneOf<DuesStatus>(values, 'status', DUES_STATUSES);
      await unlock(cli, positionals[0]!, values);
      const { items } = await cli.call('dues:list', status ? { status } : {});
      if (json) cli.json(items.map((p) => ({ personId: p.personId, status: p.status, paidUntil: p.paidUntil })));
      else for (const p of items) cli.say(`${p.personId}  ${p.lastName} ${p.firstName}  ${p.status}${p.paidUntil ? `  jusqu’au ${p.paidUntil.split('-').reverse().join('/')}` : p.forLife ? '  à vie' : ''}`);
    },
  },
];
