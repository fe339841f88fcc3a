/** `members import | list | add`. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PersonSummary } from '../../../shared/domain/person';
import { CliFailure, optional, optionalDate, required, type Cli } from '../context';
import type { Command } from './types';

const PAGE = 500;

async function allPeople(cli: Cli, query: string): Promise<PersonSummary[]> {
  const out: PersonSummary[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await cli.call('people:search', { query, limit: PAGE, offset });
    out.push(...page.items);
    if (page.items.length < PAGE) return out;
  }
}

export const memberCommands: Command[] = [
  {
    words: 'members import',
    usage: 'members import DIR FICHIER [--dry-run] [--json]',
    options: { 'dry-run': { type: 'boolean' } },
    positionals: { min: 2, max: 2 },
    async run(cli, { positionals, values, json }) {
      const file = positionals[1]!;
      const bytes = await readFile(file).catch(() => {
        throw new CliFailure(`Fichier introuvable ou illisible : ${file}`);
      });
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const fileName = basename(file);
      const preview = await cli.call('imports:preview', { fileName, bytes: new Uint8Array(bytes) });
      const r = await cli.call('imports:run', { fileName, bytes: new Uint8Array(bytes), columns: preview.columns, dryRun: values['dry-run'] === true });
      if (json) {
        cli.json({
          imported: r.imported,
          updated: r.updated,
          unchanged: r.unchanged,
          payments: r.payments,
          errors: r.errors.map((e) => ({ line: e.line, message: e.message })),
          warnings: r.warnings.map((w) => ({ line: w.line, field: w.field, message: w.message })),
        });
      } else {
        cli.say(`${r.dryRun ? 'Essai (rien enregistré) — ' : ''}${r.imported} créées, ${r.updated} complétées, ${r.unchanged} inchangées, ${r.payments} paiements, ${r.errors.length} erreurs, ${r.warnings.length} avertissements.`);
        for (const e of r.errors) cli.say(`  erreur ligne ${e.line} : ${e.message}`);
        for (const w of r.warnings) cli.say(`  avertissement ligne ${w.line} (${w.field}) : ${w.message}`);
      }
    },
  },
  {
    words: 'members list',
    usage: 'members list DIR [--search TEXTE] [--json]',
    options: { search: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const people = await allPeople(cli, optional(values, 'search') ?? '');
      if (json) {
        cli.json(people.map((p) => ({ id: p.id, firstName: p.firstName, lastName: p.lastName, email: p.email, phone: p.phone, birthDate: p.birthDate })));
      } else for (const p of people) cli.say(`${p.id}  ${p.lastName} ${p.firstName}  ${p.birthDate ?? ''}  ${p.email ?? ''}`);
    },
  },
  {
    words: 'members add',
    usage: 'members add DIR --first-name PRÉNOM --last-name NOM [--birth-date AAAA-MM-JJ] [--email E] [--phone T] [--json]',
    options: { 'first-name': { type: 'string' }, 'last-name': { type: 'string' }, 'birth-date': { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const person = {
        firstName: required(values, 'first-name'),
        lastName: required(values, 'last-name'),
        birthDate: optionalDate(values, 'birth-date'),
        email: optional(values, 'email') ?? null,
        phone: optional(values, 'phone') ?? null,
        kinds: ['member' as const],
      };
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { id } = await cli.call('people:create', { person });
      if (json) cli.json({ id });
      else cli.say(id);
    },
  },
  {
    words: 'members update',
    usage: 'members update DIR --member ID [--phone T] [--email E] [--first-name P] [--last-name N] [--json]',
    options: { member: { type: 'string' }, phone: { type: 'string' }, email: { type: 'string' }, 'first-name': { type: 'string' }, 'last-name': { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const id = required(values, 'member');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { person } = await cli.call('people:get', { id });
      const { id: _id, archivedAt: _a, createdAt: _c, updatedAt: _u, hiddenFields: _h, ...input } = person;
      const change = { phone: optional(values, 'phone'), email: optional(values, 'email'), firstName: optional(values, 'first-name'), lastName: optional(values, 'last-name') };
      const next = { ...input, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) };
      await cli.call('people:update', { id, person: next });
      const after = (await cli.call('people:get', { id })).person;
      if (json) cli.json({ id, firstName: after.firstName, lastName: after.lastName, email: after.email, phone: after.phone });
      else cli.say(`Fiche ${id} mise à jour.`);
    },
  },
];
