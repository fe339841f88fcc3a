/**
 * Where the browser host lets a request write a decrypted file (`vault:exportDocument`, `db:rawCopy`) or create a
 * folder (the backup destination and the restore target: see shared/contract/writes.ts). Electron writes only to a path the person picked in the save dialog; the browser host
 * has no dialog, so it writes only directly inside the export folder the person named when starting it
 * (`--export-dir`), under a plain new name — and nowhere at all without that folder. The page itself never needs
 * it: its « Exporter » button downloads the paper through the browser (docs/testing.md "The browser host").
 */
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Envelope } from '../../shared/contract';
import { chosenFolderField, chosenPathField } from '../../shared/contract/writes';
import { ensurePrivateFolder } from '../fs/privateFolder';

/** A plain file name: no separator, no control character, not hidden, no space at either end, at most 255 bytes. */
const PLAIN_NAME = /^[^./\\\s\p{Cc}][^/\\\p{Cc}]*(?<!\s)$/u;

export type Vetted = { ok: true; payload: unknown } | { ok: false; envelope: Envelope<never> };

function refused(code: 'FORBIDDEN' | 'ALREADY_EXISTS', message: string): Vetted {
  return { ok: false, envelope: { ok: false, error: { code, message } } };
}

export class HostSavePaths {
  private readonly given: string | null;
  private readonly real: string | null;

  /**
   * @param folder the export folder chosen at start (`--export-dir`), or undefined for none: then every write to a
   *   path is refused. Created 0700 if absent.
   * @throws Error (French) if the folder is a link, not a folder, owned by someone else or writable by others.
   */
  constructor(folder: string | undefined) {
    if (folder === undefined) {
      this.given = this.real = null;
      return;
    }
    this.given = resolve(folder);
    ensurePrivateFolder(this.given, { label: "Dossier d'export", hint: 'Indiquez un dossier personnel (--export-dir).' });
    this.real = realpathSync(this.given);
  }

  /**
   * Checks the path of a channel that writes one. Other channels pass unchanged. A path passes when it is a plain
   * new name, alone or directly inside the export folder; the payload then carries the absolute path in the folder.
   * Refusals: FORBIDDEN (no export folder, a path elsewhere, a subfolder, a hidden or odd name), ALREADY_EXISTS
   * (something — a file, a link — already has that name: nothing is overwritten).
   */
  vet(channel: string, payload: unknown): Vetted {
    const folderField = chosenFolderField(channel);
    if (folderField !== undefined) return this.vetFolder(payload, folderField);
    const field = chosenPathField(channel);
    if (field === undefined) return { ok: true, payload };
    if (this.given === null || this.real === null) {
      return refused(
        'FORBIDDEN',
        "Écriture refusée : la version navigateur n'écrit aucun fichier là où une requête le demande. Le bouton « Exporter » télécharge la pièce ; " +
          "pour écrire dans un dossier, relancez l'hôte avec --export-dir DOSSIER.",
      );
    }
    const value = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>)[field] : undefined;
    const name = this.nameIn(value);
    if (name === null) {
      return refused('FORBIDDEN', `Écriture refusée : seul un nom de fichier simple, directement dans le dossier d'export « ${this.given} », est accepté.`);
    }
    if (!sameRealPath(this.given, this.real)) return refused('FORBIDDEN', `Écriture refusée : le dossier d'export « ${this.given} » a changé depuis le démarrage.`);
    const target = join(this.real, name);
    if (exists(target)) return refused('ALREADY_EXISTS', `Le fichier « ${name} » existe déjà dans le dossier d'export : choisissez un autre nom (rien n'est écrasé).`);
    return { ok: true, payload: { ...(payload as Record<string, unknown>), [field]: target } };
  }

  /**
   * Checks the folder a backup channel writes into (`to`, `into`). Absent (`backup:now` without `to`): passes. A
   * folder passes when it is a plain name, alone or directly inside the export folder, and is either new or a real
   * folder (not a link, not a file); the payload then carries its absolute path. Refusals: FORBIDDEN.
   */
  private vetFolder(payload: unknown, field: 'to' | 'into'): Vetted {
    const value = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>)[field] : undefined;
    if (value === undefined) return { ok: true, payload };
    if (this.given === null || this.real === null) {
      return refused(
        'FORBIDDEN',
        "Dossier refusé : la version navigateur ne crée aucun dossier là où une requête le demande. Relancez l’hôte avec --export-dir DOSSIER " +
          'et choisissez un dossier directement dedans.',
      );
    }
    const name = this.nameIn(typeof value === 'string' ? value.trim() : value);
    if (name === null) {
      return refused('FORBIDDEN', `Dossier refusé : seul un dossier au nom simple, directement dans le dossier d’export « ${this.given} », est accepté.`);
    }
    if (!sameRealPath(this.given, this.real)) return refused('FORBIDDEN', `Dossier refusé : le dossier d’export « ${this.given} » a changé depuis le démarrage.`);
    const target = join(this.real, name);
    if (!newOrFolder(target)) return refused('FORBIDDEN', `Dossier refusé : « ${name} » existe dans le dossier d’export mais n’est pas un dossier (fichier ou lien).`);
    return { ok: true, payload: { ...(payload as Record<string, unknown>), [field]: target } };
  }

  /** The plain name `value` designates directly inside the export folder, or null. */
  private nameIn(value: unknown): string | null {
    if (typeof value !== 'string') return null;
    let name = value;
    if (isAbsolute(value)) {
      const parent = dirname(value);
      if (parent !== this.given && parent !== this.real) return null;
      name = basename(value);
    }
    if (!PLAIN_NAME.test(name) || Buffer.byteLength(name, 'utf8') > 255) return null;
    return name;
  }
}

/** True if `path` still resolves to `real` (the folder was not removed or replaced by a link since the start). */
function sameRealPath(path: string, real: string): boolean {
  try {
    return realpathSync(path) === real;
  } catch {
    return false;
  }
}

/** True unless `lstat` says ENOENT: an entry we cannot inspect counts as taken. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** True if nothing has that name yet, or a real folder (not a link) does. */
function newOrFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
