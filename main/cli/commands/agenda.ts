/**
 * `agenda export` (iCalendar, RFC 5545) and `engagement hours` (CSV of the hours given in a year): docs/agenda.md.
 * The file is created, never overwritten (mode 0600: it holds what the user could read in the app).
 */
import { resolve } from 'node:path';
import { checkId, optional, required, UsageError, type Cli } from '../context';
import { writeNewFile } from '../files';
import type { Command } from './types';


async function unlock(cli: Cli, dir: string, values: Record<string, unknown>): Promise<void> {
  await cli.unlock(dir, optional(values, 'user'));
}

export const agendaCommands: Command[] = [
  {
    words: 'agenda export',
    usage: 'agenda export DIR (--user UTILISATEUR | --circle ID) --out FICHIER.ics [--json]',
    options: { circle: { type: 'string' }, out: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const circle = optional(values, 'circle');
      if (circle === undefined && optional(values, 'user') === undefined && !process.env['SOLIDARICIEL_USER']) throw new UsageError('Précisez --user UTILISATEUR (son agenda) ou --circle ID (le planning d’un cercle).\nUsage : agenda export DIR (--user UTILISATEUR | --circle ID) --out FICHIER.ics');
      const circleId = circle !== undefined ? checkId(circle, 'Option --circle') : undefined;
      const out = resolve(required(values, 'out'));
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('agenda:exportIcs', circleId ? { circleId } : {});
      await writeNewFile(out, r.ics);
      if (json) cli.json({ path: out, events: r.events });
      else cli.say(`Agenda écrit : ${out} (${r.events} événement(s)).`);
    },
  },
  {
    words: 'engagement hours',
    usage: 'engagement hours DIR --year AAAA [--out FICHIER.csv] [--json]',
    options: { year: { type: 'string' }, out: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const text = required(values, 'year');
      if (!/^\d{4}$/.test(text)) throw new UsageError(`Option --year : année sur quatre chiffres attendue (reçu « ${text} »).`);
      const year = Number(text);
      const outOption = optional(values, 'out');
      await unlock(cli, positionals[0]!, values);
      if (outOption !== undefined) {
        const out = resolve(outOption);
        const r = await cli.call('engagement:hoursCsv', { year });
        await writeNewFile(out, r.csv);
        if (json) cli.json({ path: out });
        else cli.say(`Heures des bénévoles écrites : ${out}.`);
        return;
      }
      const { items } = await cli.call('engagement:hours', { year });
      if (json) cli.json(items.map((h) => ({ personId: h.personId, name: h.name, visits: h.visits, minutes: h.minutes })));
      else for (const h of items) cli.say(`${h.name}  ${h.visits} visite(s)  ${(h.minutes / 60).toFixed(2).replace('.', ',')} h`);
    },
  },
];
