/** `vault expiring | receipt | verify-receipt`: papers to renew and deposit receipts (docs/papers-expiry.md, docs/deposit-receipt.md). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MAX_RECEIPT_BYTES } from '../../../shared/contract/papers';
import { checkId, CliFailure, optional, required, UsageError } from '../context';
import { writeNewFile } from '../files';
import type { Command } from './types';

export const papersCommands: Command[] = [
  {
    words: 'vault expiring',
    usage: 'vault expiring DIR --within JOURS [--json]',
    options: { within: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const within = required(values, 'within');
      if (!/^\d{1,4}$/.test(within)) throw new UsageError(`Option --within : nombre de jours attendu (0 à 3650, reçu « ${within} »).`);
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { items } = await cli.call('papers:expiring', { withinDays: Math.min(Number(within), 3650) });
      if (json) cli.json(items.map((p) => ({ documentId: p.documentId, personId: p.personId, type: p.type, expiresOn: p.expiresOn })));
      else for (const p of items) cli.say(`${p.expiresOn}  ${p.daysLeft < 0 ? 'expirée' : `dans ${p.daysLeft} j`}  ${p.type}  ${p.personName}  ${p.documentId}`);
    },
  },
  {
    words: 'vault receipt',
    usage: 'vault receipt DIR --documents ID1,ID2 --out FICHIER.pdf [--json]',
    options: { documents: { type: 'string' }, out: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const ids = required(values, 'documents')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((id) => checkId(id, 'Option --documents'));
      if (ids.length === 0) throw new UsageError('Option --documents : au moins un identifiant de pièce attendu.');
      const out = resolve(required(values, 'out'));
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { items } = await cli.call('vault:listDocuments', {});
      const people = new Set(ids.map((id) => items.find((d) => d.id === id)?.personId ?? `?${id}`));
      const missing = ids.find((id) => !items.some((d) => d.id === id));
      if (missing) throw new CliFailure(`Pièce introuvable : ${missing} (retirée, ou vous n'y avez pas accès).`);
      if (people.size > 1) throw new CliFailure("Les pièces d'une attestation doivent être celles d'une seule personne.");
      const r = await cli.call('deposits:issue', { personId: [...people][0]!, documentIds: ids });
      // Never overwrites: a receipt must not replace another file by mistake.
      await writeNewFile(out, r.pdf);
      if (r.timestamp?.error) process.stderr.write(`${r.timestamp.error}\n`);
      if (json) cli.json({ depositId: r.depositId, path: out, timestamp: r.timestamp?.genTime ?? null });
      else cli.say(`Attestation de dépôt ${r.depositId} écrite : ${out}${r.timestamp?.genTime ? ` (horodatée ${r.timestamp.genTime})` : ''}`);
    },
  },
  {
    words: 'vault verify-receipt',
    usage: 'vault verify-receipt DIR FICHIER.pdf [--json]',
    options: {},
    positionals: { min: 2, max: 2 },
    async run(cli, { positionals, values, json }) {
      const file = positionals[1]!;
      const pdf = await readFile(file).catch(() => {
        throw new CliFailure(`Fichier introuvable ou illisible : ${file}`);
      });
      if (pdf.byteLength > MAX_RECEIPT_BYTES) throw new CliFailure(`${file} : fichier trop volumineux pour une attestation (5 Mo au plus).`);
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const r = await cli.call('deposits:verify', { pdf: new Uint8Array(pdf) });
      if (json) cli.json({ ok: r.ok, documents: r.documents.map((d) => ({ id: d.id, ok: d.ok })), reason: r.reason });
      else if (r.ok) cli.say(`Attestation ${r.depositId} valable : ${r.documents.length} pièce(s) intactes${r.timestamp ? `, horodatée ${r.timestamp.genTime}` : ''}.`);
      if (!r.ok) process.stderr.write(`${r.reason}\n`);
      return r.ok ? 0 : 1;
    },
  },
];
