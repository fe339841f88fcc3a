import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSamePerson, mergeFill, normalizeForMatch, personMatchKeys } from '../../../main/services/imports';
import { personInput } from '../../../shared/domain/person';
import type { PersonInput, PersonInputDraft } from '../../../shared/domain/person';

const person = (draft: PersonInputDraft): PersonInput => personInput.parse(draft);

describe('normalizeForMatch', () => {
  it('ignores case, accents, spaces, hyphens and apostrophes', () => {
    expect(normalizeForMatch('Jean-Noël')).toBe('jeannoel');
    expect(normalizeForMatch('  JEAN   NOËL ')).toBe('jeannoel');
    expect(normalizeForMatch('LE GALL')).toBe(normalizeForMatch('Le Gall'));
    expect(normalizeForMatch("D'Almeida")).toBe(normalizeForMatch('D’ALMEIDA'));
    expect(normalizeForMatch('Lætitia Cœur')).toBe('laetitiacoeur');
    expect(normalizeForMatch('Benoît')).not.toBe(normalizeForMatch('Benoîte'));
  });
});

describe('personMatchKeys / isSamePerson', () => {
  const a = person({ lastName: 'Nguyen', firstName: 'Björn', birthDate: '1980-01-08', email: null });
  const b = person({ lastName: 'NGUYEN', firstName: 'Bjorn', birthDate: '1980-01-08', email: 'Bjorn.Nguyen7@exemple.fr' });
  it('computes both keys', () => {
    expect(personMatchKeys(a)).toEqual({ email: null, nameBirth: 'nguyen|bjorn|1980-01-08' });
    expect(personMatchKeys(b).email).toBe('bjorn.nguyen7@exemple.fr');
    expect(personMatchKeys(person({ lastName: 'Nguyen', firstName: 'Björn' })).nameBirth).toBeNull();
  });
  it('matches on e-mail or on names + birth date', () => {
    expect(isSamePerson(a, b)).toBe(true);
    expect(isSamePerson(b, person({ lastName: 'Autre', firstName: 'Nom', email: 'BJORN.nguyen7@exemple.fr' }))).toBe(true);
    expect(isSamePerson(a, person({ lastName: 'Nguyen', firstName: 'Björn', birthDate: '1980-01-09' }))).toBe(false);
    expect(isSamePerson(a, person({ lastName: 'Nguyen', firstName: 'Björn' }))).toBe(false);
  });
});

describe('mergeFill', () => {
  const existing = person({ lastName: 'Durand', firstName: 'Zoé', phone: '06 10 86 90 00', city: '  ', kinds: ['member'] });
  const incoming = person({
    lastName: 'DURAND',
    firstName: 'Zoe',
    phone: '07 00 00 00 00',
    email: 'zoe@exemple.fr',
    city: 'Lyon',
    kinds: ['member', 'volunteer'],
  });
  it('fills only the empty fields and adds missing kinds', () => {
    const before = structuredClone(existing);
    const { merged, changedFields } = mergeFill(existing, incoming);
    expect(changedFields).toEqual(['email', 'city', 'kinds']);
    expect(merged).toMatchObject({ lastName: 'Durand', firstName: 'Zoé', phone: '06 10 86 90 00', email: 'zoe@exemple.fr', city: 'Lyon', kinds: ['member', 'volunteer'] });
    expect(existing).toEqual(before);
  });
  it('reports nothing when there is nothing to fill', () => {
    expect(mergeFill(incoming, existing).changedFields).toEqual([]);
  });

  const text = fc.option(fc.string({ minLength: 0, maxLength: 12 }), { nil: null });
  const draft = fc.record({
    firstName: fc.string({ maxLength: 12 }),
    lastName: fc.string({ maxLength: 12 }),
    city: text,
    notes: text,
    memberNumber: text,
    // Phones must be plausible to be a person at all (shared/domain/phone.ts): random ones would be refused.
    phone: fc.option(fc.oneof(fc.constant(''), fc.stringMatching(/^0[1-9]( \d\d){4}$/)), { nil: null }),
    kinds: fc.subarray(['member', 'volunteer', 'beneficiary'] as const),
  });
  it('never overwrites a non-empty value (property)', () => {
    fc.assert(
      fc.property(draft, draft, (x, y) => {
        const e = person(x);
        const { merged, changedFields } = mergeFill(e, person(y));
        for (const key of Object.keys(e) as (keyof PersonInput)[]) {
          const v = e[key];
          if (key === 'kinds') expect(merged.kinds.slice(0, e.kinds.length)).toEqual(e.kinds);
          else if (v !== null && String(v).trim() !== '') expect(merged[key]).toEqual(v);
          else if (!changedFields.includes(key)) expect(merged[key]).toEqual(v);
        }
      }),
    );
  });
});
