/** Amounts in integer cents: what people type is read exactly or refused with a French message (shared/domain/money.ts). */
import { describe, expect, it } from 'vitest';
import { amountToCents, centsToInput, formatCents, parseAmount, typedAmount } from '../../../shared/domain/money';

const cents = (s: string) => {
  const r = parseAmount(s);
  if (!r.ok) throw new Error(r.message);
  return r.cents;
};
const refusal = (s: string) => {
  const r = parseAmount(s);
  if (r.ok) throw new Error(`accepted ${s} as ${r.cents}`);
  return r.message;
};

describe('parseAmount', () => {
  it('reads comma, point, spaces and the euro sign', () => {
    expect(cents('123,45')).toBe(12345);
    expect(cents('123.45')).toBe(12345);
    expect(cents('1 234,50')).toBe(123450);
    expect(cents('1\u202f234,50')).toBe(123450);
    expect(cents('1\u00a0234\u00a0567,8')).toBe(123456780);
    expect(cents(' 12 ')).toBe(1200);
    expect(cents('0,07')).toBe(7);
    expect(cents('0,7')).toBe(70);
    expect(cents('987,65 €')).toBe(98765);
    expect(cents('20€')).toBe(2000);
    expect(cents('0')).toBe(0);
  });
  it('is exact where floats are not (0,1 + 0,2; 1,15; 4,35)', () => {
    expect(cents('0,1') + cents('0,2')).toBe(cents('0,3'));
    expect(cents('1,15')).toBe(115);
    expect(cents('4,35')).toBe(435);
    expect(cents('999 999 999,99')).toBe(99_999_999_999);
  });
  it('refuses ambiguous or malformed amounts with a French message naming the text', () => {
    expect(refusal('1.234,50')).toMatch(/« 1\.234,50 » n'est pas un montant/);
    expect(refusal('1,234.50')).toMatch(/n'est pas un montant/);
    expect(refusal('12,345')).toMatch(/plus de deux décimales/);
    expect(refusal('-5')).toMatch(/négatif/);
    expect(refusal('12 euros')).toMatch(/n'est pas un montant/);
    expect(refusal('1 23,00')).toMatch(/n'est pas un montant/);
    expect(refusal('12 3456')).toMatch(/n'est pas un montant/);
    expect(refusal('')).toMatch(/obligatoire/);
    expect(refusal('1e3')).toMatch(/n'est pas un montant/);
    expect(refusal(',5')).toMatch(/n'est pas un montant/);
    expect(refusal('1 000 000 000,00')).toMatch(/plus grand montant/);
    expect(parseAmount('abc', 'Cotisation')).toEqual({ ok: false, message: expect.stringMatching(/^Cotisation : /) as unknown });
  });
  it('amountToCents throws the message; typedAmount reports it as a zod issue', () => {
    expect(() => amountToCents('1.234,5')).toThrow(/n'est pas un montant/);
    expect(typedAmount().parse('1 234,50')).toBe(123450);
    const r = typedAmount('Don').safeParse('x');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/^Don : /);
  });
});

describe('formatCents', () => {
  it('writes what fr-FR Intl writes, from integers', () => {
    const intl = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
    for (const c of [0, 7, 70, 12345, 123450, 100000000, 99_999_999_999]) expect(formatCents(c)).toBe(intl.format(c / 100));
    expect(formatCents(123450)).toBe('1\u202f234,50\u00a0€');
    expect(formatCents(-250)).toBe('-2,50\u00a0€');
    expect(formatCents(98765, { withSymbol: false })).toBe('987,65');
    expect(centsToInput(123450)).toBe('1234,50');
    expect(() => formatCents(1.5)).toThrow(/entier/);
  });
  it('round-trips every formatted amount through parseAmount', () => {
    for (const c of [0, 1, 99, 100, 101, 99999, 100000, 123456789]) {
      expect(cents(formatCents(c))).toBe(c);
      expect(cents(centsToInput(c))).toBe(c);
    }
  });
});
