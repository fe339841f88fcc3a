/**
 * `npm run host -- [--port N] [--static DIR] [--prefs FILE] [--export-dir DIR]`: starts the browser host
 * (main/host/server.ts).
 *
 * Defaults: port 0 (a free one), static `dist/renderer`, prefs `<per-user config folder>/solidariciel/host/preferences.json`
 * (main/host/paths.ts; never the shared temporary folder, docs/threat-model.md).
 * `--export-dir`: the only folder where a request may have a decrypted paper or database copy written (none by
 * default; the page downloads papers instead).
 * Prints exactly one line on stdout once listening — `SOLIDARICIEL_HOST_URL=http://127.0.0.1:PORT/#code=<code>`, the
 * URL to open, whose one-time code the page exchanges for the session's token (docs/testing.md "The browser host")
 * — and a French line on stderr. SIGINT/SIGTERM close the host and the core (the association is locked). Exit codes: 0 after a
 * signal, 2 on bad arguments, 1 if the host cannot start.
 */
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { defaultHostPrefsFile } from './paths';
import { startHost, type Host } from './server';

interface CliOptions {
  port: number;
  staticDir: string;
  prefsFile: string;
  exportDir?: string;
}

function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      static: { type: 'string', default: 'dist/renderer' },
      prefs: { type: 'string', default: defaultHostPrefsFile(process.env, homedir(), process.platform) },
      'export-dir': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = Number(values.port);
  if (!/^\d{1,5}$/.test(values.port) || port > 65535) throw new Error(`--port attend un entier entre 0 et 65535, reçu « ${values.port} »`);
  const exportDir = values['export-dir'];
  return { port, staticDir: values.static, prefsFile: values.prefs, ...(exportDir === undefined ? {} : { exportDir }) };
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`solidariciel host : ${(error as Error).message}\nUsage : npm run host -- [--port N] [--static DIR] [--prefs FICHIER] [--export-dir DOSSIER]\n`);
    process.exit(2);
  }
  let host: Host;
  try {
    host = await startHost(options);
  } catch (error) {
    process.stderr.write(`solidariciel host : démarrage impossible — ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`SOLIDARICIEL_HOST_URL=${host.launchUrl}\n`);
  process.stderr.write(
    `Hôte navigateur Solidariciel à l'écoute sur ${host.url} (127.0.0.1 uniquement). ` +
      `Ouvrez l'adresse complète affichée ci-dessus : son code ne sert qu'une fois. ` +
      `Outil de développement et de test : ne l'exposez jamais sur un réseau local. Ctrl+C pour arrêter.\n`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1); // second signal: leave at once
    stopping = true;
    process.stderr.write(`solidariciel host : ${signal} reçu, fermeture…\n`);
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`solidariciel host : fermeture incomplète — ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
