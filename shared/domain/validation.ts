/**
 * Validation messages in a social worker's words, for every zod schema of the app (core, browser host, renderer).
 *
 * - `installFrenchErrors()` sets zod 4's global configuration: zod's own French locale (`z.locales.fr()`), overridden
 *   by `frenchIssueMessage` where the locale speaks like a developer (« Trop grand : chaîne de caractères doit avoir
 *   <=200 caractères » becomes « 200 caractères au plus »). A message written in a schema (`.min(1, '…')`) still wins.
 * - `describeIssues(error)` turns a ZodError into what crosses IPC: one French sentence naming the field as the forms
 *   label it (FIELD_LABELS), never a channel name nor a zod path, plus each field's own message for the form to put
 *   next to it (`fields`, keyed by the request path such as `person.lastName`).
 * See docs/ui.md « Errors in people's words ».
 */
import { z } from 'zod';
import { FIELD_LABELS } from './fieldLabels';

type Issue = z.core.$ZodRawIssue;

const nf = new Intl.NumberFormat('fr-FR');

function isEmpty(input: unknown): boolean {
  return input === undefined || input === null || (typeof input === 'string' && input.trim() === '');
}

/** Our French message for an issue, or undefined to let zod's French locale speak. */
export function frenchIssueMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return isEmpty(issue.input) ? 'Champ obligatoire' : 'Valeur non reconnue';
    case 'invalid_value':
      return isEmpty(issue.input) ? 'Champ obligatoire' : 'Choisissez une des valeurs proposées';
    case 'invalid_union':
      return 'Valeur non reconnue';
    case 'too_big': {
      const max = nf.format(Number(issue.maximum));
      if (issue.origin === 'string') return `${max} caractères au plus`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${max} au plus`;
      if (issue.origin === 'number' || issue.origin === 'int') return `La valeur doit être au plus ${max}`;
      return undefined;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'Champ obligatoire' : `${nf.format(min)} caractères au moins`;
      if (issue.origin === 'array' || issue.origin === 'set') return min <= 1 ? 'Choisissez-en au moins un' : `${nf.format(min)} au moins`;
      if (issue.origin === 'number' || issue.origin === 'int') return `La valeur doit être au moins ${nf.format(min)}`;
      return undefined;
    }
    case 'invalid_format': {
      if (issue.format === 'email') return 'Adresse e-mail invalide (exemple : nom@domaine.fr)';
      if (issue.format === 'url') return 'Adresse web invalide (exemple : http://192.168.1.10:8443)';
      return 'Format non reconnu';
    }
    case 'unrecognized_keys':
      return 'Données inattendues dans la demande';
    default:
      return undefined;
  }
}

let installed = false;

/** Sets zod's global error map to French (idempotent). Call once per process before parsing user input. */
export function installFrenchErrors(): void {
  if (installed) return;
  installed = true;
  z.config({ ...z.locales.fr(), customError: (issue) => frenchIssueMessage(issue) });
}
installFrenchErrors();

/** One refused field: `path` as in the request (`person.lastName`), `message` to show next to it. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** The label of a request path as the forms show it (« Nom »), or null when no form names it. */
export function labelOfPath(path: readonly PropertyKey[]): string | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(FIELD_LABELS, key)) return FIELD_LABELS[key] ?? null;
  }
  return null;
}

/** « Nom : 200 caractères au plus. » — the label is not repeated when the message already starts with it. */
export function sentenceOf(label: string | null, message: string): string {
  const text = message.replace(/[.\s]+$/, '');
  const lower = /^\p{Lu}\p{Ll}/u.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
  const body = label && !text.startsWith(label) ? `${label} : ${lower}` : text;
  return `${body.charAt(0).toUpperCase()}${body.slice(1)}.`;
}

/**
 * A refused request in the user's words: `message` is one French sentence (the first field and how many more),
 * `fields` every refused field (first issue per path). Throws nothing.
 */
export function describeIssues(error: z.ZodError): { message: string; fields: FieldProblem[] } {
  const seen = new Map<string, FieldProblem>();
  let first: string | null = null;
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (seen.has(path)) continue;
    const label = labelOfPath(issue.path);
    const sentence = label ? sentenceOf(label, issue.message) : `Une donnée est refusée : ${sentenceOf(null, issue.message)}`;
    first ??= sentence;
    // Next to its field the label is already visible: the message alone (« 200 caractères au plus. »).
    seen.set(path, { path, message: sentenceOf(null, issue.message) });
  }
  const fields = [...seen.values()];
  if (!first) return { message: 'La demande est refusée : des données sont invalides.', fields };
  const more = fields.length - 1;
  const message = more > 0 ? `${first} ${more === 1 ? 'Un autre champ est' : `${more} autres champs sont`} à corriger.` : first;
  return { message, fields };
}
