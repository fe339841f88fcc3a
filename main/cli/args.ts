/**
 * Command-line argument checks that happen before anything costly (unlocking runs Argon2id for about a second):
 * Node's `parseArgs` errors turned into French sentences, and option values checked for their format, so a typo
 * is a usage error (exit 2) with a French message rather than an English zod message after the unlock.
 */
import { isoDate } from '../../shared/domain/common';
import { UsageError } from './errors';

interface NodeError {
  code?: unknown;
  message?: unknown;
}

/** The option name quoted in a `parseArgs` message (`'--name <value>'` → `--name`). */
function quotedOption(message: string): string {
  const m = /'(-{1,2}[^' ]+)/.exec(message);
  return m?.[1] ?? '?';
}

/**
 * The French sentence for an error thrown by `node:util` `parseArgs` (codes ERR_PARSE_ARGS_UNKNOWN_OPTION,
 * ERR_PARSE_ARGS_INVALID_OPTION_VALUE, ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL). Node's own messages are English.
 */
export function frenchParseArgsMessage(error: unknown): string {
  const e = (error ?? {}) as NodeError;
  const message = typeof e.message === 'string' ? e.message : '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Option inconnue : ${quotedOption(message)}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = quotedOption(message);
      if (message.includes('does not take an argument')) return `L'option ${name} ne prend pas de valeur.`;
      if (message.includes('ambiguous')) return `L'option ${name} attend une valeur (pour une valeur commençant par « - », écrivez ${name}=VALEUR).`;
      return `L'option ${name} attend une valeur.`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return 'Argument en trop.';
    default:
      return 'Arguments invalides.';
  }
}

/** A required string option. Throws UsageError naming it. */
export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`Option --${name} obligatoire.`);
  return v;
}

/** An optional string option (absent or empty → undefined). */
export function optional(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** An optional calendar date option `YYYY-MM-DD` (checked to exist). Throws UsageError naming the option. */
export function optionalDate(values: Record<string, unknown>, name: string): string | null {
  const v = optional(values, name);
  if (v === undefined) return null;
  if (!isoDate.safeParse(v).success) throw new UsageError(`Option --${name} : date attendue au format AAAA-MM-JJ (reçu « ${v} »).`);
  return v;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An identifier option (UUID, as printed by `members list`, `vault list`…). Throws UsageError naming the option. */
export function checkId(value: string, what: string): string {
  if (!UUID.test(value)) throw new UsageError(`${what} : identifiant attendu (UUID, tel qu'affiché par les commandes « list »), reçu « ${value} ».`);
  return value;
}
