/**
 * `treasury export fec | export csv` and `treasury bank import` (docs/treasury.md « Journal et banque »; issue 10 §9):
 * the same channels as the « Trésorerie » screens, with their permissions (`treasury.export`, `treasury.write`).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CliFailure, optional, required, type Cli } from '../context';
import { writeNewFile } from '../files';
import type { Command } from './types';

/** `--year AAAA` → the year; anything else is a failure naming the option. */
function yearOf(values: Record<string, unknown>): number {
  const v = required(values, 'year');
  if (!/^\d{4}$/.test(v)) throw new CliFailure(`--year : année sur 4 chiffres attendue (reçu « ${v} »).`);
  return Number(v);
}


async function unlock(cli: Cli, dir: string, values: Record<string, unknown>): Promise<void> {
  await cli.unlock(dir, optional(values, 'user'));
}

export const ledgerCommands: Command[] = [
  {
    words: 'treasury export fec',
    usage: 'treasury export fec DIR --year AAAA --siren NNNNNNNNN --out DOSSIER [--json]',
    options: { year: { type: 'string' }, siren: { type: 'string' }, out: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const year = yearOf(values);
      const siren = required(values, 'siren');
      if (!/^\d{9}$/.test(siren)) throw new CliFailure(`--siren : 9 chiffres attendus (reçu « ${siren} »).`);
      const folder = resolve(required(values, 'out'));
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('ledger:exportFec', { year, siren });
      await mkdir(folder, { recursive: true });
      const path = join(folder, r.fileName);
      await writeNewFile(path, r.data);
      if (json) cli.json({ path, entries: r.entries });
      else cli.say(`FEC ${year} écrit : ${path} (${r.entries} écriture(s)).`);
    },
  },
  {
    words: 'treasury export csv',
    usage: 'treasury export csv DIR --year AAAA --out FICHIER.csv [--json]',
    options: { year: { type: 'string' }, out: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const year = yearOf(values);
      const path = resolve(required(values, 'out'));
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('ledger:exportCsv', { year });
      await writeNewFile(path, r.data);
      if (json) cli.json({ path, entries: r.entries });
      else cli.say(`Journal ${year} écrit : ${path} (${r.entries} écriture(s)).`);
    },
  },
  {
    words: 'treasury bank import',
    usage: 'treasury bank import DIR FICHIER(.csv|.ofx) [--json]',
    options: {},
    positionals: { min: 2, max: 2 },
    async run(cli, { positionals, values, json }) {
      const file = positionals[1]!;
      const data = await readFile(file).catch(() => {
        throw new CliFailure(`Fichier introuvable ou illisible : ${file}`);
      });
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('ledger:importStatement', { fileName: basename(file), data: new Uint8Array(data) });
      for (const e of r.errors) process.stderr.write(`${e.message}\n`);
      // Refused lines on stderr (French, naming the line); stdout keeps the issue's {lines, matched}.
      if (json) cli.json({ lines: r.lines, matched: r.matched });
      else cli.say(`Relevé importé : ${r.lines} ligne(s) nouvelle(s), ${r.duplicates} déjà présente(s), ${r.matched} rapprochée(s) d’office, ${r.errors.length} refusée(s).`);
    },
  },
];
