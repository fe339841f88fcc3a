/** CLI argument checks in process: Node's parseArgs errors in French, date and id options, the usage text. */
import { describe, expect, it } from 'vitest';
import { parseArgs } from 'node:util';
import { checkId, frenchParseArgsMessage, optionalDate, required } from '../../../main/cli/args';
import { UsageError } from '../../../main/cli/errors';
import { COMMANDS, usage } from '../../../main/cli/index';

function parseError(args: string[]): unknown {
  try {
    parseArgs({ args, options: { title: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: false, strict: true });
  } catch (e) {
    return e;
  }
  throw new Error('parseArgs accepted the arguments');
}

describe('frenchParseArgsMessage', () => {
  it.each([
    [['--bogus'], 'Option inconnue : --bogus.'],
    [['-x'], 'Option inconnue : -x.'],
    [['--title'], "L'option --title attend une valeur."],
    [['--json=oui'], "L'option --json ne prend pas de valeur."],
    [['--title', '--json'], "L'option --title attend une valeur (pour une valeur commençant par « - », écrivez --title=VALEUR)."],
    [['dossier'], 'Argument en trop.'],
  ])('%j → %s', (args, expected) => {
    const e = parseError(args);
    expect((e as { code: string }).code).toMatch(/^ERR_PARSE_ARGS_/);
    expect(frenchParseArgsMessage(e)).toBe(expected);
  });

  it('anything else → a generic French sentence', () => {
    expect(frenchParseArgsMessage(new Error('boom'))).toBe('Arguments invalides.');
    expect(frenchParseArgsMessage(undefined)).toBe('Arguments invalides.');
  });
});

describe('option checks', () => {
  it('required: present and not blank, else a UsageError naming the option', () => {
    expect(required({ title: 'Appeler' }, 'title')).toBe('Appeler');
    for (const values of [{}, { title: '' }, { title: '   ' }, { title: true }]) {
      expect(() => required(values, 'title')).toThrow(new UsageError('Option --title obligatoire.'));
    }
  });

  it('optionalDate: YYYY-MM-DD that exists, else a UsageError naming the option and the value', () => {
    expect(optionalDate({}, 'due')).toBeNull();
    expect(optionalDate({ due: '2024-02-29' }, 'due')).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '15/01/2026', '2026-1-5', 'demain']) {
      expect(() => optionalDate({ due: bad }, 'due')).toThrow(UsageError);
      expect(() => optionalDate({ due: bad }, 'due')).toThrow(`reçu « ${bad} »`);
    }
  });

  it('checkId: a UUID, else a UsageError', () => {
    expect(checkId('01a1fd47-e448-759f-8f6b-05bba635ddac', 'Option --member')).toBe('01a1fd47-e448-759f-8f6b-05bba635ddac');
    expect(() => checkId('42', 'Option --member')).toThrow(/^Option --member : identifiant attendu/);
  });
});

describe('usage', () => {
  it('lists every command of the issue, in French', () => {
    expect(COMMANDS.map((c) => c.words)).toContain('hub start');
    expect(COMMANDS.map((c) => c.words).filter((w) => w !== 'hub start')).toEqual([
      'init',
      'users request',
      'users approve',
      'users add',
      'users confirm-keys',
      'users list',
      'members import',
      'members list',
      'members add',
      'members update',
      'groups add',
      'members add-to-group',
      'members export',
      'members import-export',
      'members erase',
      'retention review',
      'retention rules',
      'treasury fees add',
      'treasury fees list',
      'treasury fees map-tariff',
      'treasury dues pay',
      'treasury dues list',
      'treasury gifts add',
      'treasury receipts issue',
      'treasury receipts pdf',
      'treasury receipts cancel',
      'treasury receipts list',
      'treasury receipts summary',
      'treasury receipts settings',
      'treasury export fec',
      'treasury export csv',
      'treasury bank import',
      'agenda export',
      'engagement hours',
      'notes add',
      'notes list',
      'messages send',
      'messages list',
      'tasks add',
      'tasks list',
      'vault add',
      'vault replace',
      'vault remove',
      'vault list',
      'vault export',
      'vault verify',
      'vault expiring',
      'vault receipt',
      'vault verify-receipt',
      'vault ocr',
      'vault search',
      'vault export-searchable',
      'vault scanners',
      'vault scan',
      'sync join-hub',
      'sync',
      'devices invite',
      'devices join',
      'devices list',
      'devices revoke',
      'conflicts list',
      'backup now',
      'backup list',
      'backup verify',
      'backup restore',
      'volunteers set',
      'volunteers find',
      'visits rule',
      'visits plan',
      'visits cancel',
      'visits done',
      'visits gaps',
      'circles add',
      'recovery reset-password',
      'audit verify',
      'db raw-copy',
    ]);
    const text = usage();
    expect(text).toMatch(/^Usage : npm run -s cli -- COMMANDE/);
    for (const c of COMMANDS) expect(text).toContain(c.usage);
    for (const v of ['SOLIDARICIEL_PASSWORD', 'SOLIDARICIEL_USER', 'SOLIDARICIEL_NEW_PASSWORD', 'SOLIDARICIEL_RECOVERY_CODE']) expect(text).toContain(v);
  });
});
