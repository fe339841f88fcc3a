/**
 * The browser host's preferences file (main/core/filePreferences.ts, main/host/paths.ts) against another local OS
 * user (docs/threat-model.md): the file lives in a per-user folder, is written through an exclusive, randomly named
 * temporary file that never follows a link, and a folder owned by someone else or writable by others is refused.
 */
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilePreferences } from '../../../main/core/filePreferences';
import { defaultHostPrefsFile } from '../../../main/host/paths';
import { tempDir } from '../../helpers/core';

let root: string;
let victim: string;

beforeEach(() => {
  root = tempDir('solidariciel-prefs-');
  victim = join(root, 'victime', 'authorized_keys');
  mkdirSync(join(root, 'victime'));
  writeFileSync(victim, 'ssh-ed25519 AAAA original\n');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('host preferences: writes never follow a planted link', () => {
  it('a symlink planted at the predictable temporary name (<file>.tmp-<pid>) is not followed', () => {
    const folder = join(root, 'prefs');
    mkdirSync(folder, { mode: 0o700 });
    const file = join(folder, 'preferences.json');
    symlinkSync(victim, `${file}.tmp-${process.pid}`);
    new FilePreferences(file).set('recentAssociations', [{ dir: '/srv/assoc', name: 'Entraide' }]);
    expect(readFileSync(victim, 'utf8')).toBe('ssh-ed25519 AAAA original\n');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ recentAssociations: [{ dir: '/srv/assoc', name: 'Entraide' }] });
    // The planted link is left alone, and no temporary file remains.
    expect(lstatSync(`${file}.tmp-${process.pid}`).isSymbolicLink()).toBe(true);
    expect(readdirSync(folder).sort()).toEqual(['preferences.json', `preferences.json.tmp-${process.pid}`]);
  });

  it('a symlink planted as the preferences file itself is replaced, never written through, and never read', () => {
    const folder = join(root, 'prefs');
    mkdirSync(folder, { mode: 0o700 });
    const file = join(folder, 'preferences.json');
    writeFileSync(victim, '{"recentAssociations":[{"dir":"/piege","name":"Piège"}]}');
    symlinkSync(victim, file);
    const prefs = new FilePreferences(file);
    expect(prefs.get('recentAssociations')).toBeUndefined();
    prefs.set('lang', 'fr');
    expect(readFileSync(victim, 'utf8')).toContain('Piège');
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ lang: 'fr' });
  });

  it('creates its folder 0700 and its file 0600', () => {
    const file = join(root, 'config', 'solidariciel', 'host', 'preferences.json');
    new FilePreferences(file).set('lang', 'fr');
    expect(mode(join(root, 'config', 'solidariciel', 'host'))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
  });
});

describe('host preferences: a folder someone else controls is refused', () => {
  it('refuses a folder writable by others (a shared /tmp folder planted by another user), naming it', () => {
    const shared = join(root, 'solidariciel-host');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const file = join(shared, 'preferences.json');
    expect(() => new FilePreferences(file)).toThrow(/solidariciel-host.*modifiable par d'autres utilisateurs/);
    expect(readdirSync(shared)).toEqual([]);
  });

  it('refuses a folder owned by another user', () => {
    const theirs = join(root, 'theirs');
    mkdirSync(theirs, { mode: 0o755 });
    const me = process.getuid?.() ?? 0;
    // As root the folder really is given away; otherwise the check is asked to expect another owner.
    if (me === 0) chownSync(theirs, 65534, 65534);
    const options = me === 0 ? {} : { owner: me + 1 };
    expect(() => new FilePreferences(join(theirs, 'preferences.json'), options)).toThrow(/appartient à un autre utilisateur/);
  });

  it('refuses a symlink standing for the folder', () => {
    const real = join(root, 'real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, join(root, 'link'));
    expect(() => new FilePreferences(join(root, 'link', 'preferences.json'))).toThrow(/lien symbolique/);
  });
});

describe('host preferences: default location', () => {
  it('is per user (XDG config dir, else ~/.config), never in the shared temporary folder', () => {
    expect(defaultHostPrefsFile({ XDG_CONFIG_HOME: '/home/ana/.cfg' }, '/home/ana', 'linux')).toBe('/home/ana/.cfg/solidariciel/host/preferences.json');
    expect(defaultHostPrefsFile({}, '/home/ana', 'linux')).toBe('/home/ana/.config/solidariciel/host/preferences.json');
    expect(defaultHostPrefsFile({ XDG_CONFIG_HOME: 'relatif' }, '/home/ana', 'linux')).toBe('/home/ana/.config/solidariciel/host/preferences.json');
    expect(defaultHostPrefsFile({}, '/Users/ana', 'darwin')).toBe('/Users/ana/Library/Application Support/solidariciel/host/preferences.json');
    expect(defaultHostPrefsFile({ APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana', 'win32')).toContain('solidariciel');
    expect(defaultHostPrefsFile(process.env, '/home/ana', 'linux').startsWith(tmpdir())).toBe(false);
  });
});
