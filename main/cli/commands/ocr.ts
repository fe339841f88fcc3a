/** `vault ocr | search | export-searchable`: the text recognised in papers (docs/ocr.md). */
import { resolve } from 'node:path';
import { checkId, optional, required } from '../context';
import type { Command } from './types';

export const ocrCommands: Command[] = [
  {
    words: 'vault ocr',
    usage: 'vault ocr DIR [--wait] [--json]',
    options: { wait: { type: 'boolean' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const r = await cli.call('papers:ocr', { wait: values['wait'] === true });
      if (json) cli.json({ pending: r.pending, done: r.done, failed: r.failed });
      else cli.say(`Pages reconnues : ${r.done} ; en attente : ${r.pending} ; en échec : ${r.failed}.`);
    },
  },
  {
    words: 'vault search',
    usage: 'vault search DIR TEXTE [--json]',
    options: {},
    positionals: { min: 2, max: 2 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { items } = await cli.call('papers:searchText', { query: positionals[1]!, limit: 50 });
      if (json) cli.json(items.map((h) => ({ documentId: h.documentId, personId: h.personId, type: h.type, snippet: h.snippet })));
      else if (items.length === 0) cli.say('Aucune pièce ne contient ce texte.');
      else for (const h of items) cli.say(`${h.documentId}  ${h.personName} — trouvé dans : ${h.label} (page ${h.page}) : ${h.snippet}`);
    },
  },
  {
    words: 'vault export-searchable',
    usage: 'vault export-searchable DIR ID_DOCUMENT --out FICHIER.pdf [--json]',
    options: { out: { type: 'string' } },
    positionals: { min: 2, max: 2 },
    async run(cli, { positionals, values, json }) {
      const out = resolve(required(values, 'out'));
      const id = checkId(positionals[1]!, 'Document');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const r = await cli.call('papers:exportSearchable', { id, path: out });
      if (json) cli.json({ path: r.path, pagesWithText: r.pagesWithText });
      else cli.say(`PDF interrogeable écrit dans ${r.path} (${r.pagesWithText} page(s) avec texte).`);
    },
  },
];
