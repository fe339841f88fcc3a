/**
 * `vault scanners | scan`: scanners seen from this PC and a scan straight into a person's vault (docs/scanning.md "CLI").
 * A scan goes through the same scan session as the window's (shared/contract/scan.ts): pages in memory only, then one
 * paper through the vault's add path. Ctrl+C cancels the job on the scanner; nothing is added then.
 */
import { documentType } from '../../../shared/domain/document';
import { COLOR_MODES, SCAN_DPI_MAX, SCAN_DPI_MIN, type ColorMode, type Scanner } from '../../../shared/domain/scan';
import type { EventPayload } from '../../../shared/contract';
import { checkId, CliFailure, optional, optionalDate, required, UsageError } from '../context';
import type { Command } from './types';

const SOURCES = ['platen', 'feeder'] as const;

/** `--dpi N`: an integer within the contract's bounds, else a usage error. */
function dpiOf(values: Record<string, unknown>): number | undefined {
  const v = optional(values, 'dpi');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d{2,4}$/.test(v) || n < SCAN_DPI_MIN || n > SCAN_DPI_MAX) throw new UsageError(`Option --dpi : résolution attendue entre ${SCAN_DPI_MIN} et ${SCAN_DPI_MAX} points par pouce (reçu « ${v} »).`);
  return n;
}

function oneOf<T extends string>(values: Record<string, unknown>, name: string, allowed: readonly T[]): T | undefined {
  const v = optional(values, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`Option --${name} : ${allowed.join(' ou ')} attendu (reçu « ${v} »).`);
  return v as T;
}

const addresses = (values: Record<string, unknown>): string[] => (Array.isArray(values['address']) ? (values['address'] as string[]) : []);

export const scanCommands: Command[] = [
  {
    words: 'vault scanners',
    usage: 'vault scanners DIR [--address ADRESSE]... [--json]',
    options: { address: { type: 'string', multiple: true } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      // Addresses typed on the command line are checked (capabilities read) and listed first.
      const typed: Scanner[] = [];
      for (const address of addresses(values)) typed.push(await cli.call('scan:addScanner', { address }));
      const { items } = await cli.call('scan:listScanners', { refresh: true });
      const all = [...typed, ...items.filter((s) => !typed.some((t) => t.id === s.id))];
      if (json) cli.json(all.map((s) => ({ id: s.id, name: s.name, kind: s.kind, sources: s.sources })));
      else if (all.length === 0) cli.say('Aucun scanner trouvé (réseau : mDNS ; ajoutez une adresse avec --address 192.168.1.20).');
      else for (const s of all) cli.say(`${s.id}  ${s.name}  (${s.sources.join(', ')})`);
    },
  },
  {
    words: 'vault scan',
    usage: 'vault scan DIR --member ID --type TYPE --scanner ID [--source platen|feeder] [--duplex] [--dpi N] [--mode color|gray|bw] [--expires AAAA-MM-JJ] [--json]',
    options: { member: { type: 'string' }, type: { type: 'string' }, scanner: { type: 'string' }, source: { type: 'string' }, duplex: { type: 'boolean' }, dpi: { type: 'string' }, mode: { type: 'string' }, expires: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const personId = checkId(required(values, 'member'), 'Option --member');
      const typeName = required(values, 'type');
      const type = documentType.safeParse(typeName);
      if (!type.success) throw new UsageError(`Type inconnu : « ${typeName} ». Types possibles : ${documentType.options.join(', ')}.`);
      const scannerId = required(values, 'scanner');
      if (!/^(escl|sane|wia):./.test(scannerId)) throw new UsageError(`Option --scanner : identifiant attendu (escl:URL, sane:APPAREIL ou wia:ID, voir « vault scanners »), reçu « ${scannerId.slice(0, 80)} ».`);
      const chosenSource = oneOf(values, 'source', SOURCES);
      const mode: ColorMode | undefined = oneOf(values, 'mode', COLOR_MODES);
      const dpi = dpiOf(values);
      const duplex = values['duplex'] === true;
      if (duplex && chosenSource === 'platen') throw new UsageError('Option --duplex : le recto verso se fait par le chargeur (--source feeder).');
      const expiresOn = optionalDate(values, 'expires');
      await cli.unlock(positionals[0]!, optional(values, 'user'));

      const caps = await cli.call('scan:capabilities', { scannerId });
      const source = chosenSource ?? (duplex || caps.sources.includes('feeder') ? 'feeder' : 'platen');
      const { sessionId } = await cli.call('scan:openSession', {});
      const pageIds: string[] = [];
      const early: EventPayload<'scan:job'>[] = [];
      let settle: (end: EventPayload<'scan:job'>) => void = (end) => early.push(end);
      const stop = cli.listen((event, payload) => {
        if (event === 'scan:page') {
          const p = payload as EventPayload<'scan:page'>;
          if (p.sessionId !== sessionId) return;
          pageIds.push(p.page.pageId);
          if (!json) process.stderr.write(`Page ${pageIds.length} reçue.\n`);
        } else if (event === 'scan:job') {
          const j = payload as EventPayload<'scan:job'>;
          if (j.sessionId === sessionId && j.state !== 'scanning') settle(j);
        }
      });
      const cancel = () => void cli.call('scan:cancel', { sessionId }).catch(() => undefined);
      process.once('SIGINT', cancel);
      try {
        const ended = new Promise<EventPayload<'scan:job'>>((resolve) => {
          settle = resolve;
          if (early[0]) resolve(early[0]);
        });
        await cli.call('scan:start', { sessionId, scannerId, source, duplex, ...(dpi ? { dpi } : {}), ...(mode ? { mode } : {}) });
        const end = await ended;
        if (end.state === 'failed') throw new CliFailure(end.message ?? 'La numérisation a échoué.');
        if (end.state === 'cancelled') throw new CliFailure("Numérisation annulée : rien n'a été ajouté au coffre-fort.");
        if (pageIds.length === 0) throw new CliFailure("Le scanner n'a envoyé aucune page : rien n'a été ajouté.");
        const r = await cli.call('scan:commit', { sessionId, personId, meta: { type: type.data, expiresOn }, pages: pageIds.map((pageId) => ({ pageId, rotation: 0 as const })) });
        if (json) cli.json({ id: r.id, pages: r.pages, sha256: r.sha256 });
        else cli.say(`${r.id} (${r.pages} page(s), SHA-256 ${r.sha256})`);
      } finally {
        process.off('SIGINT', cancel);
        stop();
        await cli.call('scan:closeSession', { sessionId }).catch(() => undefined);
      }
    },
  },
];
