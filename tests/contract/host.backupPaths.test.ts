/**
 * The browser host and the folders the backup channels write into (shared/contract/writes.ts
 * `WRITES_CHOSEN_FOLDER`, docs/threat-model.md §3): a request holding the token cannot make the host create a backup
 * destination or a restore target anywhere but directly inside the `--export-dir` folder the person chose.
 * The core is a double that creates the folder it is handed, as the real backup service does.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../main/host/server';
import { fakeCore } from '../helpers/fakeCore';
import { invoke } from '../helpers/hostClient';
import { contract, isChannel } from '../../shared/contract';
import { WRITES_CHOSEN_FOLDER, chosenFolderField } from '../../shared/contract/writes';

const STATUS = { destination: null, lastGoodAt: null, overdue: true, items: [] };
const ITEM = { path: 'x', createdAt: '2026-12-06T05:00:00.000Z', bytes: 1, blobsCopied: 0 };
const REPORT = { ok: true, papers: 0, problems: [], dir: 'x', mustReenroll: true };

let dir: string;
let staticDir: string;
/** Folders the double was asked to write into, in order. */
let written: string[];

function backupCore() {
  const make = (folder: string) => {
    mkdirSync(folder, { recursive: true });
    written.push(folder);
  };
  return fakeCore({
    'backup:setDestination': async (r) => (make(r.to), STATUS),
    'backup:now': async (r) => (r.to === undefined ? written.push('(saved)') : make(r.to), ITEM),
    'backup:restore': async (r) => (make(r.into), REPORT),
  });
}

/** The three channels with `folder` in their folder field. */
const requests = (folder: string) =>
  [
    ['backup:setDestination', { to: folder }],
    ['backup:now', { to: folder }],
    ['backup:restore', { path: join(dir, 'sauvegarde'), into: folder }],
  ] as const;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'solidariciel-host-backup-'));
  staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Solidariciel</title>');
});
beforeEach(() => {
  written = [];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the backup channels that write into a folder', () => {
  it('are real channels, each with the named field in its request; nothing else matches', () => {
    const entries = Object.entries(WRITES_CHOSEN_FOLDER);
    expect(entries.map(([c]) => c).sort()).toEqual(['backup:now', 'backup:restore', 'backup:setDestination']);
    for (const [channel, field] of entries) {
      if (!isChannel(channel) || field === undefined) throw new Error(`${channel} : canal inconnu`);
      expect(Object.keys((contract[channel].request as unknown as { shape: Record<string, unknown> }).shape)).toContain(field);
    }
    for (const other of ['constructor', '__proto__', 'backup:list', 'backup:verify']) expect(chosenFolderField(other)).toBeUndefined();
  });
});

describe('browser host without --export-dir', () => {
  let host: Host;
  beforeAll(async () => {
    host = await startHost({ port: 0, staticDir, prefsFile: join(dir, 'none.json'), core: backupCore() });
  });
  afterAll(() => host.close());

  it('refuses a backup destination or restore target anywhere, and creates nothing', async () => {
    const target = join(dir, 'victim-home', '.config', 'autostart');
    for (const [channel, payload] of requests(target)) {
      const res = await invoke(host.url, host.token, channel, payload);
      expect({ channel, envelope: res.envelope }).toMatchObject({ channel, envelope: { ok: false, error: { code: 'FORBIDDEN' } } });
    }
    expect(written).toEqual([]);
    expect(existsSync(join(dir, 'victim-home'))).toBe(false);
  });

  it('still lets « Sauvegarder maintenant » use the destination saved on this PC (no folder in the request)', async () => {
    expect((await invoke(host.url, host.token, 'backup:now', {})).envelope).toEqual({ ok: true, value: ITEM });
    expect(written).toEqual(['(saved)']);
  });
});

describe('browser host with --export-dir', () => {
  let host: Host;
  let exportDir: string;
  beforeAll(async () => {
    exportDir = join(dir, 'exports');
    mkdirSync(join(exportDir, 'Clé USB'), { recursive: true, mode: 0o700 });
    symlinkSync(join(dir, 'ailleurs'), join(exportDir, 'lien'));
    writeFileSync(join(exportDir, 'fichier'), 'déjà là');
    host = await startHost({ port: 0, staticDir, prefsFile: join(dir, 'exports.json'), core: backupCore(), exportDir });
  });
  afterAll(() => host.close());

  it('accepts a new or existing folder directly inside it, by name or absolute path, and hands the core the absolute path', async () => {
    const accepted: Array<[string, string]> = [
      [join(exportDir, 'Clé USB'), join(exportDir, 'Clé USB')],
      ['Restaurée.solidariciel', join(exportDir, 'Restaurée.solidariciel')],
      [`  ${join(exportDir, 'Nouveau')}  `, join(exportDir, 'Nouveau')],
    ];
    for (const [given, expected] of accepted) {
      for (const [channel, payload] of requests(given)) {
        const res = await invoke(host.url, host.token, channel, payload);
        expect({ channel, given, ok: res.envelope.ok }).toEqual({ channel, given, ok: true });
      }
      expect(written.splice(0)).toEqual([expected, expected, expected]);
    }
  });

  it('refuses a folder outside it, deeper, through a link, over a file, hidden or the folder itself', async () => {
    const refused = [
      join(dir, 'ailleurs'),
      '/tmp',
      '../ailleurs',
      join(exportDir, '..', 'ailleurs'),
      join(exportDir, 'Clé USB', 'dedans'),
      'Clé USB/dedans',
      join(exportDir, 'lien'),
      'lien',
      'fichier',
      '.cache',
      '.',
      '..',
      exportDir,
    ];
    for (const folder of refused) {
      for (const [channel, payload] of requests(folder)) {
        const res = await invoke(host.url, host.token, channel, payload);
        expect({ channel, folder, envelope: res.envelope }).toMatchObject({ channel, folder, envelope: { ok: false, error: { code: 'FORBIDDEN' } } });
      }
    }
    expect(written).toEqual([]);
    expect(existsSync(join(dir, 'ailleurs'))).toBe(false);
  });
});
