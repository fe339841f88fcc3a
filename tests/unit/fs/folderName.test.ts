/**
 * main/fs/folderName.ts: which folders can hold an association (docs/windows.md). Windows rules are checked here with
 * `platform = 'win32'`, on any machine.
 */
import { describe, expect, it } from 'vitest';
import { associationFolderProblem, UNIX_MAX_FOLDER_BYTES, windowsNameProblem, WINDOWS_MAX_FOLDER } from '../../../main/fs/folderName';

describe('association folder names', () => {
  it('accepts spaces, accents, non-Latin letters and UNC paths on Windows', () => {
    for (const dir of [
      'C:\\Associations\\Entraide Paris 11.solidariciel',
      'C:\\Users\\Hélène Lefèvre\\Documents\\Épicerie solidaire — été',
      'D:\\Ассоциация\\協会\\جمعية',
      '\\\\serveur\\partage\\Entraide',
      'C:\\Associations\\CONSEIL\\console\\nullement\\COM10',
    ]) {
      expect(associationFolderProblem(dir, 'win32'), dir).toBeNull();
    }
  });

  it('refuses reserved Windows names, in any part of the path on Windows', () => {
    for (const name of ['CON', 'con', 'PRN', 'AUX', 'NUL', 'nul.txt', 'COM1', 'com9.solidariciel', 'LPT1', 'LPT9', 'COM¹', 'CONIN$']) {
      expect(windowsNameProblem(name), name).toMatch(/nom réservé par Windows/);
      expect(associationFolderProblem(`C:\\Associations\\${name}`, 'win32')).toMatch(/^Dossier impossible : « .+ » est un nom réservé par Windows/);
      expect(associationFolderProblem(`C:\\${name}\\Entraide`, 'win32')).toMatch(/nom réservé/);
    }
  });

  it('refuses a trailing dot or space, and the characters Windows forbids', () => {
    expect(associationFolderProblem('C:\\Associations\\Entraide.', 'win32')).toMatch(/se termine par un point ou une espace/);
    expect(associationFolderProblem('C:\\Associations\\Entraide ', 'win32')).toMatch(/se termine par un point ou une espace/);
    expect(associationFolderProblem('C:\\Associations\\Entraide?', 'win32')).toMatch(/caractère « \? », interdit par Windows/);
    expect(associationFolderProblem('C:\\Associations\\A|B', 'win32')).toMatch(/caractère « \| »/);
    expect(associationFolderProblem('C:\\Associations\\A\u0001B', 'win32')).toMatch(/caractère de contrôle/);
    expect(associationFolderProblem('C:\\', 'win32')).toMatch(/racine d'un disque/);
  });

  it('refuses a path too long for the vault under MAX_PATH on Windows, and names the limit', () => {
    const base = 'C:\\Associations\\';
    const fits = base + 'a'.repeat(WINDOWS_MAX_FOLDER - base.length);
    expect(fits.length).toBe(WINDOWS_MAX_FOLDER);
    expect(associationFolderProblem(fits, 'win32')).toBeNull();
    expect(associationFolderProblem(`${fits}b`, 'win32')).toMatch(new RegExp(`trop long pour Windows \\(${WINDOWS_MAX_FOLDER + 1} caractères, ${WINDOWS_MAX_FOLDER} au plus`));
    // 259 = MAX_PATH − 1: the longest paper path, `<dir>\vault\ab\<64 hex>`, must fit.
    expect(`${fits}\\vault\\ab\\${'0'.repeat(64)}`.length).toBe(259);
  });

  it('elsewhere, holds only the association folder itself to the Windows rules, and every name to 255 bytes', () => {
    expect(associationFolderProblem('/srv/con/Entraide', 'linux')).toBeNull();
    expect(associationFolderProblem('/srv/Associations/CON', 'linux')).toMatch(/nom réservé par Windows/);
    expect(associationFolderProblem('/srv/Associations/Entraide.', 'darwin')).toMatch(/point ou une espace/);
    expect(associationFolderProblem(`/srv/${'é'.repeat(128)}/Entraide`, 'linux')).toMatch(/trop long \(plus de 255 octets\)/);
    // SQLite opens no database whose path passes 512 bytes off Windows: `<dir>/association.db-journal` must fit.
    const deep = `/srv/${'é/'.repeat(160)}`;
    const fits = deep + 'x'.repeat(UNIX_MAX_FOLDER_BYTES - Buffer.byteLength(deep));
    expect(Buffer.byteLength(`${fits}/association.db-journal`)).toBe(512);
    expect(associationFolderProblem(fits, 'linux')).toBeNull();
    expect(associationFolderProblem(`${fits}y`, 'linux')).toMatch(new RegExp(`trop long pour le moteur de la base \\(${UNIX_MAX_FOLDER_BYTES + 1} octets, ${UNIX_MAX_FOLDER_BYTES} au plus\\)`));
    expect(associationFolderProblem('/', 'linux')).toMatch(/racine/);
  });
});
