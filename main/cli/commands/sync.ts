/** `sync join-hub | sync DIR`, `devices invite | join | list | revoke`, `conflicts list` (issue 4 §7). */
import { resolve } from 'node:path';
import { optional, required } from '../context';
import type { Command } from './types';

export const syncCommands: Command[] = [
  {
    words: 'sync join-hub',
    usage: 'sync join-hub DIR --hub URL [--name NOM_DU_POSTE] [--registration-secret SECRET] [--json]',
    options: { hub: { type: 'string' }, name: { type: 'string' }, 'registration-secret': { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const hubUrl = required(values, 'hub');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const name = optional(values, 'name');
      // The hub operator's secret, when the hub requires one to register a new association (also from the environment).
      const secret = optional(values, 'registration-secret') ?? process.env['SOLIDARICIEL_HUB_REGISTRATION_SECRET'];
      const r = await cli.call('sync:joinHub', { hubUrl, ...(name ? { deviceName: name } : {}), ...(secret ? { registrationSecret: secret } : {}) });
      if (json) cli.json({ associationId: r.associationId });
      else cli.say(`Association ${r.associationId} reliée au hub ${hubUrl}. Lancez « sync ${positionals[0]} » pour envoyer ses données.`);
    },
  },
  {
    words: 'sync',
    usage: 'sync DIR [--json]',
    options: {},
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const r = await cli.call('sync:now', {});
      if (json) cli.json({ pushed: r.pushed, pulled: r.pulled, pending: r.pending });
      else cli.say(`${r.pushed} modifications envoyées, ${r.pulled} reçues, ${r.pending} en attente${r.conflicts ? `, ${r.conflicts} conflits` : ''}${r.rejected ? `, ${r.rejected} envois refusés` : ''}.`);
    },
  },
  {
    words: 'devices invite',
    usage: 'devices invite DIR [--name NOM_DU_POSTE] [--json]',
    options: { name: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const r = await cli.call('devices:invite', { name: optional(values, 'name') ?? 'Nouveau poste' });
      if (json) cli.json({ code: r.code, expiresAt: r.expiresAt, deviceId: r.deviceId });
      else cli.say(`Code d'invitation : ${r.code} (valable jusqu'à ${new Date(r.expiresAt).toLocaleTimeString('fr-FR')}, 5 essais au plus).`);
    },
  },
  {
    words: 'devices join',
    usage: 'devices join NOUVEAU_DIR --hub URL --code CODE [--json]',
    options: { hub: { type: 'string' }, code: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const r = await cli.call('devices:join', { dir: resolve(positionals[0]!), hubUrl: required(values, 'hub'), code: required(values, 'code') });
      if (json) cli.json({ deviceId: r.deviceId, associationId: r.associationId });
      else cli.say(`Ce poste a rejoint « ${r.associationName} » (poste ${r.deviceId}). Chacun s'y connecte avec son nom et son mot de passe habituels.`);
    },
  },
  {
    words: 'devices list',
    usage: 'devices list DIR [--json]',
    options: {},
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { items } = await cli.call('devices:list', {});
      if (json) cli.json(items);
      else for (const d of items) cli.say(`${d.deviceId}  ${d.name}${d.current ? ' (ce poste)' : ''}${d.revokedAt ? ` — retiré le ${d.revokedAt.slice(0, 10)}` : ''}`);
    },
  },
  {
    words: 'devices revoke',
    usage: 'devices revoke DIR --device ID [--json]',
    options: { device: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const deviceId = required(values, 'device');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      await cli.call('devices:revoke', { deviceId });
      if (json) cli.json({ deviceId });
      else cli.say(`Poste ${deviceId} retiré : le hub le refuse désormais.`);
    },
  },
  {
    words: 'conflicts list',
    usage: 'conflicts list DIR [--all] [--json]',
    options: { all: { type: 'boolean' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { items } = await cli.call('conflicts:list', { includeResolved: values['all'] === true });
      if (json) cli.json(items.map((c) => ({ table: c.table, rowId: c.rowId, column: c.column, kept: c.kept, overwritten: c.overwritten })));
      else if (items.length === 0) cli.say('Aucun conflit.');
      else for (const c of items) cli.say(`${c.table} ${c.label ?? c.rowId} · ${c.column} : gardé « ${String(c.kept)} », remplacé « ${String(c.overwritten)} »`);
    },
  },
];
