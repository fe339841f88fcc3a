/**
 * `hub start`: runs the sync hub (hub/, DESIGN.md "The hub") in the foreground until SIGINT or SIGTERM. It opens no
 * association: the hub stores ciphertext only and needs no password.
 */
import { resolve } from 'node:path';
import { CliFailure, UsageError, optional, required } from '../context';
import type { Command } from './types';

function port(values: Record<string, unknown>): number {
  const text = required(values, 'port');
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n > 65535) throw new UsageError(`Option --port : numéro de port attendu (0 à 65535, reçu « ${text} »).`);
  return n;
}

/** `--quota-gb`: the bytes of papers one association may keep on the hub, in GiB (default hub/limits.ts). */
function quotaBytes(values: Record<string, unknown>): number | undefined {
  const text = optional(values, 'quota-gb');
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d{1,6}$/.test(text) || n < 1) throw new UsageError(`Option --quota-gb : nombre entier de Go attendu (1 ou plus, reçu « ${text} »).`);
  return n * 1024 ** 3;
}

/** Resolves once the process is asked to stop (SIGINT: Ctrl+C, SIGTERM: a service manager). */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      done(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export const hubCommands: Command[] = [
  {
    words: 'hub start',
    usage: 'hub start --port PORT --data DOSSIER [--database postgres://…] [--host 127.0.0.1] [--registration-secret SECRET] [--quota-gb GO] [--log] [--json]',
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      database: { type: 'string' },
      host: { type: 'string' },
      log: { type: 'boolean' },
      'registration-secret': { type: 'string' },
      'quota-gb': { type: 'string' },
    },
    positionals: { min: 0, max: 0 },
    async run(cli, { values, json }) {
      const listenPort = port(values);
      const dataDir = resolve(required(values, 'data'));
      const databaseUrl = optional(values, 'database');
      if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UsageError('Option --database : adresse PostgreSQL attendue (postgres://utilisateur@hôte:port/base).');
      const host = optional(values, 'host') ?? '127.0.0.1';
      const registrationSecret = optional(values, 'registration-secret') ?? process.env['SOLIDARICIEL_HUB_REGISTRATION_SECRET'];
      if (registrationSecret !== undefined && registrationSecret.length < 16) {
        throw new UsageError("Option --registration-secret : 16 caractères au moins (un secret court se devine).");
      }
      const quota = quotaBytes(values);
      const { createHub } = await import('../../../hub/index');
      let hub;
      try {
        hub = await createHub({
          dataDir,
          ...(databaseUrl ? { databaseUrl } : {}),
          ...(registrationSecret ? { registrationSecret } : {}),
          ...(quota !== undefined ? { limits: { blobBytesPerAssociation: quota } } : {}),
          logger: values['log'] === true,
        });
      } catch (e) {
        throw new CliFailure(`Le hub n'a pas pu ouvrir sa base (${databaseUrl ? 'PostgreSQL' : 'SQLite'}) : ${e instanceof Error ? e.message : String(e)}`);
      }
      const stopped = stopSignal();
      let url: string;
      try {
        url = await hub.listen(listenPort, host);
      } catch (e) {
        await hub.close();
        throw new CliFailure(`Le hub n'a pas pu écouter sur ${host}:${listenPort} : ${(e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'port déjà utilisé' : e instanceof Error ? e.message : String(e)}.`);
      }
      if (json) cli.json({ url });
      else cli.say(`Hub démarré sur ${url} (données : ${dataDir}, base : ${hub.storage}${registrationSecret ? ", inscription d'association sur secret" : ''})`);
      await stopped;
      await hub.close();
      return 0;
    },
  },
];
