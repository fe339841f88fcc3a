/**
 * The Solidariciel CLI (`npm run -s cli -- …`): the same services as the app, for administrators and scripts.
 * Exit codes: 0 success, 1 failure (one French sentence on stderr, no stack trace), 2 usage error.
 * With --json, stdout carries exactly one JSON document.
 */
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/domain/errors';
import { makeCli, CliFailure, UsageError } from './context';
import { associationCommands } from './commands/association';
import { memberCommands } from './commands/members';
import { taskCommands } from './commands/tasks';
import { vaultCommands } from './commands/vault';
import type { Command } from './commands/types';

export const COMMANDS: Command[] = [...associationCommands, ...memberCommands, ...taskCommands, ...vaultCommands];

const COMMON = { json: { type: 'boolean' as const }, user: { type: 'string' as const }, help: { type: 'boolean' as const } };

export function usage(): string {
  return ['Usage : npm run -s cli -- COMMANDE …', '', ...COMMANDS.map((c) => `  ${c.usage}`), '', 'Mot de passe : SOLIDARICIEL_PASSWORD, sinon demandé au terminal. Utilisateur : --user ou SOLIDARICIEL_USER.'].join('\n');
}

function find(argv: string[]): { command: Command; rest: string[] } {
  for (const words of [2, 1]) {
    const key = argv.slice(0, words).join(' ');
    const command = COMMANDS.find((c) => c.words === key);
    if (command) return { command, rest: argv.slice(words) };
  }
  throw new UsageError(argv.length ? `Commande inconnue : ${argv.slice(0, 2).join(' ')}` : 'Commande manquante.');
}

/** Runs one command line and returns the exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  let cli: ReturnType<typeof makeCli> | null = null;
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
      process.stdout.write(`${usage()}\n`);
      return argv.length === 0 ? 2 : 0;
    }
    const { command, rest } = find(argv);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(`${(e as Error).message.split('\n')[0]}\nUsage : ${command.usage}`);
    }
    const n = parsed.positionals.length;
    if (n < command.positionals.min || n > command.positionals.max) throw new UsageError(`Arguments attendus : ${command.usage}`);
    cli = makeCli();
    const code = await command.run(cli, { positionals: parsed.positionals, values: parsed.values, json: parsed.values.json === true });
    return code ?? 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    if (e instanceof AppError || e instanceof CliFailure) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    process.stderr.write(`Erreur inattendue (${e instanceof Error ? e.name : typeof e}).\n`);
    return 1;
  } finally {
    await cli?.core.close();
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').slice(-3).join('/'));
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
