/**
 * No silent loss (docs/ui.md « Dates »): the contract refuses an impossible date or an implausible phone with a French
 * message naming the field, on every channel that carries a person, so the window, the CLI and IPC all refuse it.
 * A phone stored before the rule is still read back (storedPersonInput), to be corrected in the form.
 */
import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../main/core/dispatch';
import { person, personInput, storedPersonInput } from '../../shared/domain/person';

const base = { firstName: 'Awa', lastName: 'Diallo' };
const messages = (input: object) => {
  const r = personInput.safeParse({ ...base, ...input });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('personInput refuses what it cannot keep', () => {
  it('refuses 31/02 by name, in French, instead of saving no birth date', () => {
    expect(messages({ birthDate: '2026-02-31' })).toEqual(['birthDate: Date de naissance : cette date n’existe pas.']);
    expect(messages({ membershipEnd: '2026-13-01' })).toEqual(['membershipEnd: Fin d’adhésion : cette date n’existe pas.']);
    expect(messages({ birthDate: '31/02/2026' })).toEqual(['birthDate: Date de naissance : date attendue au format AAAA-MM-JJ.']);
    expect(personInput.parse({ ...base, birthDate: '2024-02-29' }).birthDate).toBe('2024-02-29');
  });

  it('refuses the phone « abc » by name, keeps a real one', () => {
    expect(messages({ phone: 'abc' })).toEqual([expect.stringMatching(/^phone: Téléphone : ce n’est pas un numéro de téléphone/)]);
    expect(messages({ phone2: '12' })).toEqual([expect.stringMatching(/^phone2: Autre téléphone : ce n’est pas un numéro/)]);
    expect(personInput.parse({ ...base, phone: ' 06 12 34 56 78 ', phone2: '' })).toMatchObject({ phone: '06 12 34 56 78', phone2: null });
  });

  it('is what people:create, people:update and people:findDuplicates check before any handler runs', async () => {
    const handlers = {} as Handlers; // never reached: the request is refused first
    for (const [channel, payload] of [
      ['people:create', { person: { ...base, birthDate: '2026-02-31' } }],
      ['people:update', { id: '0190d6a4-2b7e-7c3a-9f1e-6a5b4c3d2e1f', person: { ...base, phone: 'abc' } }],
      ['people:findDuplicates', { person: { ...base, birthDate: '2026-02-31' } }],
    ] as const) {
      const envelope = await dispatch(handlers, channel, payload);
      expect(envelope.ok, channel).toBe(false);
      if (!envelope.ok) {
        expect(envelope.error.code).toBe('VALIDATION');
        expect(envelope.error.message).toMatch(/(Date de naissance : cette date n’existe pas|Téléphone : ce n’est pas un numéro)/);
      }
    }
  });

  it('still reads a phone stored before the rule (the response schema and the repository)', () => {
    expect(storedPersonInput.parse({ ...base, phone: 'abc' }).phone).toBe('abc');
    const stored = { ...storedPersonInput.parse({ ...base, phone: 'abc' }), id: '0190d6a4-2b7e-7c3a-9f1e-6a5b4c3d2e1f', archivedAt: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
    expect(person.parse(stored).phone).toBe('abc');
  });
});
