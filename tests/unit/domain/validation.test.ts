/**
 * Validation errors in people's words (shared/domain/validation.ts, docs/ui.md « Errors in people's words »): French,
 * the field named as the form labels it, never a channel name, a zod path or zod's English.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coreChannels } from '../../../shared/contract';
import { describeIssues, frenchIssueMessage, sentenceOf } from '../../../shared/domain/validation';
import { maxLengthOf, maxLengths } from '../../../shared/domain/schemaLimits';
import { personInput } from '../../../shared/domain/person';
import { dispatch } from '../../../main/core/dispatch';
import { fakeHandlers } from '../../helpers/fakeCore';

/** zod's English phrases and developer wording that must never reach a user. */
const DEVELOPER = /\b(expected|Too big|Too small|Invalid|Required|received|string|number|undefined)\b|[<>]=|\b[a-z]+:[a-zA-Z]+\b|\b[a-z]+\.[a-z][a-zA-Z]+\b/;

function refusal(schema: z.ZodType, value: unknown) {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a refusal');
  return describeIssues(r.error);
}

describe('French validation messages', () => {
  it('says lengths and required fields as a social worker would', () => {
    expect(z.string().max(200).safeParse('x'.repeat(201)).error?.issues[0]?.message).toBe('200 caractères au plus');
    expect(z.string().min(1).safeParse('').error?.issues[0]?.message).toBe('Champ obligatoire');
    expect(z.number().max(240).safeParse(500).error?.issues[0]?.message).toBe('La valeur doit être au plus 240');
    expect(z.object({ a: z.string() }).safeParse({}).error?.issues[0]?.message).toBe('Champ obligatoire');
    expect(z.string().email().safeParse('abc').error?.issues[0]?.message).toMatch(/^Adresse e-mail invalide/);
  });

  it('keeps a message written in the schema', () => {
    expect(z.string().min(3, 'trois au moins').safeParse('').error?.issues[0]?.message).toBe('trois au moins');
  });

  it('leaves no issue kind in English', () => {
    const schemas: [z.ZodType, unknown][] = [
      [z.string(), 42],
      [z.enum(['a', 'b']), 'c'],
      [z.string().uuid(), 'x'],
      [z.string().regex(/^a$/), 'b'],
      [z.number().int().min(1), 0.5],
      [z.array(z.string()).max(1), ['a', 'b']],
      [z.object({}).strict(), { extra: 1 }],
      [z.union([z.string(), z.number()]), true],
    ];
    for (const [schema, value] of schemas) {
      const { message, fields } = refusal(schema, value);
      expect(message).not.toMatch(DEVELOPER);
      for (const f of fields) expect(f.message).not.toMatch(DEVELOPER);
    }
    expect(frenchIssueMessage({ code: 'too_big', origin: 'string', maximum: 1200, input: '', inclusive: true } as never)).toBe('1\u202f200 caractères au plus');
  });
});

describe('describeIssues', () => {
  it('names the field by its form label and lists every refused field at once', () => {
    const { message, fields } = refusal(coreChannels['people:findDuplicates'].request, { person: { lastName: 'x'.repeat(201), firstName: 'y'.repeat(300) } });
    expect(fields.map((f) => f.path).sort()).toEqual(['person.firstName', 'person.lastName']);
    expect(fields.find((f) => f.path === 'person.lastName')?.message).toBe('200 caractères au plus.');
    expect(message).toMatch(/^(Prénom|Nom) : 200 caractères au plus\. Un autre champ est à corriger\.$/);
    expect(message).not.toMatch(DEVELOPER);
  });

  it('does not repeat a label the message already holds, and says an unknown field without its path', () => {
    expect(sentenceOf('Date de naissance', 'Date de naissance : cette date n’existe pas.')).toBe('Date de naissance : cette date n’existe pas.');
    const { message, fields } = refusal(z.object({ zzUnknown: z.string().max(2) }), { zzUnknown: 'abc' });
    expect(message).toBe('Une donnée est refusée : 2 caractères au plus.');
    expect(message).not.toContain('zzUnknown');
    expect(fields[0]?.path).toBe('zzUnknown');
  });

  it('crosses dispatch as a French sentence with the fields, never the channel name', async () => {
    const r = await dispatch(fakeHandlers(), 'association:create', { dir: '', name: '', adminName: 'a b', password: 'court' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION');
    expect(r.error.message).not.toMatch(DEVELOPER);
    expect(r.error.message).toMatch(/^Dossier de l’association : champ obligatoire\. 3 autres champs sont à corriger\.$/);
    expect(r.error.fields?.map((f) => f.path)).toEqual(['dir', 'name', 'adminName', 'password']);
    expect(r.error.fields?.find((f) => f.path === 'password')?.message).toBe('10 caractères au moins.');
    const settings = await dispatch(fakeHandlers(), 'settings:update', { autoLockMinutes: 500 });
    expect(settings.ok ? '' : settings.error.message).toBe('Verrouiller après (minutes d’inactivité) : la valeur doit être au plus 240.');
  });
});

describe('schema limits for the forms', () => {
  it('reads maxLength through optional, default and transform', () => {
    expect(maxLengthOf(personInput.shape.lastName)).toBe(200);
    expect(maxLengthOf(personInput.shape.city)).toBe(120);
    expect(maxLengthOf(z.number())).toBeUndefined();
    expect(maxLengths(personInput.shape)).toMatchObject({ firstName: 200, lastName: 200, postalCode: 20, notes: 10_000 });
  });
});
