/**
 * The Solidariciel CLI (`npm run -s cli -- …`): the same services as the app, for administrators and scripts.
 * Exit codes: 0 success, 1 failure (one French sentence on stderr, no stack trace), 2 usage error.
 * With --json, stdout carries exactly one JSON document.
 */
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/domain/errors';
import { makeCli, CliFailure, UsageError, type CliDeps } from './context';
import { frenchParseArgsMessage } from './args';
import { adminCommands, associationCommands } from './commands/association';
import { memberCommands } from './commands/members';
import { taskCommands } from './commands/tasks';
import { vaultCommands } from './commands/vault';
import { userCommands } from './commands/users';
import { groupCommands } from './commands/groups';
import { noteCommands } from './commands/notes';
import { hubCommands } from './commands/hub';
import { syncCommands } from './commands/sync';
import { backupCommands } from './commands/backup';
import { erasureCommands } from './commands/erasure';
import { duesCommands } from './commands/treasuryDues';
import { papersCommands } from './commands/papers';
import { scanCommands } from './commands/scan';
import { agendaCommands } from './commands/agenda';
import { volunteerCommands } from './commands/volunteers';
import { messageCommands } from './commands/messages';
import { receiptCommands } from './commands/receipts';
import { ledgerCommands } from './commands/ledger';
import type { Command } from './commands/types';

export const COMMANDS: Command[] = [
  ...associationCommands,
  ...userCommands,
  ...memberCommands,
  ...groupCommands,
  ...erasureCommands,
  ...duesCommands,
  ...receiptCommands,
  ...ledgerCommands,
  ...agendaCommands,
  ...noteCommands,
  ...messageCommands,
  ...taskCommands,
  ...vaultCommands,
  ...papersCommands,
  ...scanCommands,
  ...syncCommands,
  ...backupCommands,
  ...volunteerCommands,
  ...adminCommands,
  ...hubCommands,
];

const COMMON = { json: { type: 'boolean' as const }, user: { type: 'string' as const }, help: { type: 'boolean' as const } };

export function usage(): string {
  return [
    'Usage : npm run -s cli -- COMMANDE …',
    '',
    ...COMMANDS.map((c) => `  ${c.usage}`),
    '',
    'Mot de passe : SOLIDARICIEL_PASSWORD, sinon demandé au terminal. Utilisateur : --user ou SOLIDARICIEL_USER.',
    'Mot de passe d’un nouveau compte : SOLIDARICIEL_NEW_PASSWORD. Code de secours : SOLIDARICIEL_RECOVERY_CODE.',
    'Une permission refusée sort en code 1 avec un message qui la nomme.',
  ].join('\n');
}

const GROUPS = [...new Set(COMMANDS.map((c) => c.words.split(' ')).filter((w) => w.length > 1).map((w) => w[0]!))];

function find(argv: string[]): { command: Command; rest: string[] } {
  // Longest first: `treasury dues pay` (three words, issue 10 §9) before `sync` (one).
  for (const words of [3, 2, 1]) {
    const key = argv.slice(0, words).join(' ');
    const command = COMMANDS.find((c) => c.words === key);
    if (command) return { command, rest: argv.slice(words) };
  }
  if (argv.length === 0) throw new UsageError('Commande manquante.');
  // Name only the command words, never what follows (a folder, a file).
  const group = argv[0]!;
  if (GROUPS.includes(group)) {
    // A group of groups (`treasury dues …`): name the sub-commands under the longest known prefix.
    const two = argv[1] && !argv[1].startsWith('-') ? `${group} ${argv[1]}` : null;
    const prefix = two && COMMANDS.some((c) => c.words.startsWith(`${two} `)) ? two : group;
    const sub = [...new Set(COMMANDS.filter((c) => c.words.startsWith(`${prefix} `)).map((c) => c.words.slice(prefix.length + 1).split(' ')[0]))];
    const next = argv[prefix.split(' ').length];
    const given = next && !next.startsWith('-') ? ` ${next}` : '';
    throw new UsageError(`Commande inconnue : ${prefix}${given}. Sous-commandes de « ${prefix} » : ${sub.join(', ')}.`);
  }
  throw new UsageError(`Commande inconnue : ${group}. Commandes : ${[...new Set(COMMANDS.map((c) => c.words.split(' ')[0]))].join(', ')} (aide : help).`);
}

/** Runs one command line and returns the exit code. Never throws. `deps` is for programs embedding the CLI (tests). */
export async function main(argv: string[], deps: CliDeps = {}): Promise<number> {
  let cli: ReturnType<typeof makeCli> | null = null;
  try {
    if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      process.stdout.write(`${usage()}\n`);
      return 0;
    }
    if (argv.length === 0) {
      process.stderr.write(`Commande manquante.\n${usage()}\n`);
      return 2;
    }
    const { command, rest } = find(argv);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(`${frenchParseArgsMessage(e)}\nUsage : ${command.usage}`);
    }
    if (parsed.values.help === true) {
      process.stdout.write(`Usage : ${command.usage}\n`);
      return 0;
    }
    const n = parsed.positionals.length;
    if (n < command.positionals.min) throw new UsageError(`Argument manquant.\nUsage : ${command.usage}`);
    if (n > command.positionals.max) throw new UsageError(`Argument en trop : ${parsed.positionals[command.positionals.max]}.\nUsage : ${command.usage}`);
    cli = makeCli(deps);
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
    await cli?.close();
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').slice(-3).join('/'));
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
