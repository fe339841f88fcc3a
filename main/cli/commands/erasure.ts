/** `members export | import-export | erase` and `retention review | rules` (docs/portability.md, docs/erasure.md). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliFailure, optional, required, type Cli } from '../context';
import { writeNewFile } from '../files';
import type { Command } from './types';

const positiveInt = (values: Record<string, unknown>, name: string): number | undefined => {
  const v = optional(values, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new CliFailure(`--${name} : nombre entier positif attendu (reçu « ${v} »).`);
  return Number(v);
};

async function unlock(cli: Cli, dir: string, values: Record<string, unknown>): Promise<void> {
  await cli.unlock(dir, optional(values, 'user'));
}

export const erasureCommands: Command[] = [
  {
    words: 'members export',
    usage: 'members export DIR --member ID --out FICHIER.zip [--json]',
    options: { member: { type: 'string' }, out: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const id = required(values, 'member');
      const out = resolve(required(values, 'out'));
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('people:exportData', { id });
      // Never overwrites: a person's data must not replace another file by mistake.
      await writeNewFile(out, r.zip);
      if (json) cli.json({ path: out, bytes: r.zip.byteLength });
      else cli.say(`Export écrit : ${out} (${r.zip.byteLength} octets).`);
    },
  },
  {
    words: 'members import-export',
    usage: 'members import-export DIR FICHIER.zip [--json]',
    options: {},
    positionals: { min: 2, max: 2 },
    async run(cli, { positionals, values, json }) {
      const file = positionals[1]!;
      const zip = await readFile(file).catch(() => {
        throw new CliFailure(`Fichier introuvable ou illisible : ${file}`);
      });
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('people:importData', { zip: new Uint8Array(zip) });
      if (json) cli.json(r);
      else cli.say(`Personne importée : ${r.personId} (${r.papers} pièce(s)).`);
    },
  },
  {
    words: 'members erase',
    usage: 'members erase DIR --member ID --confirm [--json]',
    options: { member: { type: 'string' }, confirm: { type: 'boolean' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const id = required(values, 'member');
      if (values['confirm'] !== true) throw new CliFailure('Effacement définitif : ajoutez --confirm pour le confirmer (rien n’a été effacé).');
      await unlock(cli, positionals[0]!, values);
      const { person } = await cli.call('people:get', { id });
      const r = await cli.call('people:erase', { id, confirmName: `${person.firstName} ${person.lastName}` });
      if (json) cli.json(r);
      else cli.say(`Personne ${id} effacée (${r.papers} pièce(s)).`);
    },
  },
  {
    words: 'retention review',
    usage: 'retention review DIR [--json]',
    options: {},
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('retention:review', {});
      if (json) cli.json(r);
      else {
        cli.say(`Personnes sans activité depuis ${r.rules.peopleInactiveYears} an(s) : ${r.people.length}`);
        for (const p of r.people) cli.say(`  ${p.id}  ${p.lastName} ${p.firstName}  dernière activité ${p.lastActivity.slice(0, 10)}${p.archived ? ' (archivée)' : ''}`);
        cli.say(`Pièces expirées depuis ${r.rules.papersExpiredMonths} mois : ${r.papers.length}`);
        for (const d of r.papers) cli.say(`  ${d.id}  ${d.type}  expirée le ${d.expiresOn}`);
        cli.say(`Entrées du journal de plus de ${r.rules.auditYears} an(s) : ${r.auditEntriesBeyond}`);
      }
    },
  },
  {
    words: 'retention rules',
    usage: 'retention rules DIR [--people-years N] [--papers-months N] [--audit-years N] [--json]',
    options: { 'people-years': { type: 'string' }, 'papers-months': { type: 'string' }, 'audit-years': { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const change = { peopleInactiveYears: positiveInt(values, 'people-years'), papersExpiredMonths: positiveInt(values, 'papers-months'), auditYears: positiveInt(values, 'audit-years') };
      await unlock(cli, positionals[0]!, values);
      let rules = await cli.call('retention:rules', {});
      if (Object.values(change).some((v) => v !== undefined)) {
        rules = await cli.call('retention:saveRules', { ...rules, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) });
      }
      if (json) cli.json(rules);
      else cli.say(`Personnes sans activité : ${rules.peopleInactiveYears} an(s) ; pièces expirées : ${rules.papersExpiredMonths} mois ; journal : ${rules.auditYears} an(s).`);
    },
  },
];
