/** `vault add | replace | remove | list | export | verify`. */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { documentType } from '../../../shared/domain/document';
import { checkId, CliFailure, optional, optionalDate, required, UsageError } from '../context';
import type { Command } from './types';

export const vaultCommands: Command[] = [
  {
    words: 'vault add',
    usage: 'vault add DIR --member ID --type TYPE [--expires AAAA-MM-JJ] [--issued AAAA-MM-JJ] [--note TEXTE] FICHIER... [--json]',
    options: { member: { type: 'string' }, type: { type: 'string' }, expires: { type: 'string' }, issued: { type: 'string' }, note: { type: 'string' } },
    positionals: { min: 2, max: Infinity },
    async run(cli, { positionals, values, json }) {
      const personId = checkId(required(values, 'member'), 'Option --member');
      const typeName = required(values, 'type');
      const type = documentType.safeParse(typeName);
      if (!type.success) throw new UsageError(`Type inconnu : « ${typeName} ». Types possibles : ${documentType.options.join(', ')}.`);
      const meta = { type: type.data, expiresOn: optionalDate(values, 'expires'), issuedOn: optionalDate(values, 'issued'), note: optional(values, 'note') ?? null };
      const [dir, ...paths] = positionals;
      const files = await readPaperFiles(paths);
      await cli.unlock(dir!, optional(values, 'user'));
      const r = await cli.call('vault:addDocument', { personId, meta, files });
      if (json) cli.json({ id: r.id, pages: r.pages, sha256: r.sha256 });
      else cli.say(`${r.id} (${r.pages} page(s), SHA-256 ${r.sha256})`);
    },
  },
  {
    words: 'vault replace',
    usage: 'vault replace DIR ID_DOCUMENT FICHIER... [--json]',
    options: {},
    positionals: { min: 3, max: Infinity },
    async run(cli, { positionals, values, json }) {
      const [dir, documentId, ...paths] = positionals;
      const id = checkId(documentId!, 'Document');
      const files = await readPaperFiles(paths);
      await cli.unlock(dir!, optional(values, 'user'));
      const r = await cli.call('vault:replaceDocument', { id, files });
      if (json) cli.json({ id: r.id, pages: r.pages, sha256: r.sha256 });
      else cli.say(`${r.id} remplacée (${r.pages} page(s), SHA-256 ${r.sha256}) ; l’ancien fichier est détruit.`);
    },
  },
  {
    words: 'vault remove',
    usage: 'vault remove DIR ID_DOCUMENT [--json]',
    options: {},
    positionals: { min: 2, max: 2 },
    async run(cli, { positionals, values, json }) {
      const id = checkId(positionals[1]!, 'Document');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const r = await cli.call('vault:removeDocument', { id });
      if (json) cli.json({ id: r.id });
      else cli.say(`${r.id} retirée du coffre-fort ; son fichier et sa clé sont détruits.`);
    },
  },
  {
    words: 'vault list',
    usage: 'vault list DIR [--member ID] [--json]',
    options: { member: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const member = optional(values, 'member');
      if (member) checkId(member, 'Option --member');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { items } = await cli.call('vault:listDocuments', member ? { personId: member } : {});
      const rows = items.map((d) => ({ id: d.id, memberId: d.personId, type: d.type, pages: d.pages, sha256: d.sha256, expires: d.expiresOn }));
      if (json) cli.json(rows);
      else for (const r of rows) cli.say(`${r.id}  ${r.type}  ${r.pages} p.  ${r.expires ?? ''}`);
    },
  },
  {
    words: 'vault export',
    usage: 'vault export DIR ID_DOCUMENT --out FICHIER [--json]',
    options: { out: { type: 'string' } },
    positionals: { min: 2, max: 2 },
    async run(cli, { positionals, values, json }) {
      const out = resolve(required(values, 'out'));
      const id = checkId(positionals[1]!, 'Document');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const r = await cli.call('vault:exportDocument', { id, path: out });
      if (json) cli.json({ path: r.path });
      else cli.say(`Copie déchiffrée écrite dans ${r.path}`);
    },
  },
  {
    words: 'vault verify',
    usage: 'vault verify DIR [--json]',
    options: {},
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const r = await cli.call('vault:verify', {});
      if (json) cli.json({ checked: r.checked, failed: r.failed.map((f) => ({ id: f.id, error: f.error })) });
      else {
        cli.say(`${r.checked} document(s) vérifié(s), ${r.failed.length} en échec.`);
        for (const f of r.failed) process.stderr.write(`${f.id} : ${f.error}\n`);
      }
      return r.failed.length > 0 ? 1 : 0;
    },
  },
];

/**
 * Reads the files of one paper from the command line, in order.
 * @throws CliFailure naming the first path that cannot be read.
 */
async function readPaperFiles(paths: readonly string[]): Promise<{ name: string; bytes: Uint8Array }[]> {
  const files = [];
  for (const p of paths) {
    const bytes = await readFile(p).catch(() => {
      throw new CliFailure(`Fichier introuvable ou illisible : ${p}`);
    });
    files.push({ name: basename(p), bytes: new Uint8Array(bytes) });
  }
  return files;
}
