/**
 * The scan folder (« dossier de numérisation ») of this PC: a folder where a printer drops its scans (a network share,
 * a USB stick), set per PC in the device preferences (never in the database). Its files are offered in the inbox
 * « À classer » (docs/scanning.md « Dossier de numérisation »):
 * - by polling, not by file events (SMB/NFS shares do not send them): a file is offered once its size and mtime are the
 *   same at two polls in a row (the printer has finished writing) and it is not empty;
 * - only plain files directly inside the folder, with a known extension (PDF, JPEG, PNG, TIFF, HEIC/HEIF), not hidden;
 *   a link is never followed (the entry's own type is read with lstat and files are opened with O_NOFOLLOW);
 * - an item's id is a hash of its folder and name: a request names an id, never a path;
 * - `remove` deletes an original only when it is still the file that was read (same size and mtime): the caller calls
 *   it after the vault add returned, i.e. once the paper is durable; `discard` moves the file into `.rejetés`.
 */
import { createHash } from 'node:crypto';
import { constants, type Dirent, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../../../shared/domain/errors';
import type { InboxItem, InboxKind } from '../../../shared/contract/inbox';
import type { Preferences } from '../../core/ports';

export const INBOX_FOLDER_PREF = 'scanInboxFolder';
/** Where discarded files go, inside the scan folder. */
export const REJECTED_FOLDER = '.rejetés';
/** Files larger than this are offered but cannot be filed (the vault takes 200 MiB per paper). */
export const MAX_INBOX_FILE_BYTES = 200 * 1024 * 1024;

const KINDS: Record<string, InboxKind> = { '.pdf': 'pdf', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.png': 'png', '.tif': 'tiff', '.tiff': 'tiff', '.heic': 'heic', '.heif': 'heic' };
export const MIME: Record<InboxKind, string> = { pdf: 'application/pdf', jpeg: 'image/jpeg', png: 'image/png', tiff: 'image/tiff', heic: 'image/heic' };
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

interface Seen {
  size: number;
  mtimeMs: number;
  /** True once two polls in a row saw the same size and mtime. */
  stable: boolean;
}

/** The kind of a file name by its extension, or null when the inbox does not take it. */
export function inboxKind(name: string): InboxKind | null {
  return KINDS[extname(name).toLowerCase()] ?? null;
}

/** A plain name directly inside a folder: no separator, not `.`/`..`, not hidden, no control character. */
export function isPlainName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !/[/\\\u0000-\u001f]/.test(name) && !name.startsWith('.');
}

export class InboxFolder {
  private seen = new Map<string, Seen>();
  private folderSeen: string | null = null;

  constructor(private readonly prefs: Preferences) {}

  /** The folder set on this PC, or null. */
  folder(): string | null {
    const v = this.prefs.get(INBOX_FOLDER_PREF);
    return typeof v === 'string' && v.length > 0 ? v : null;
  }

  /**
   * Sets (or clears, with null) the folder. It must be an absolute path to an existing real folder (not a link).
   * @throws AppError VALIDATION (French, naming the path) otherwise.
   */
  async setFolder(path: string | null): Promise<string | null> {
    if (path === null) {
      this.prefs.set(INBOX_FOLDER_PREF, null);
      this.seen.clear();
      return null;
    }
    if (!isAbsolute(path)) throw new AppError('VALIDATION', `Dossier de numérisation : indiquez un chemin complet (reçu « ${path.slice(0, 200)} »).`, { field: 'path' });
    const full = resolve(path);
    let st: Stats;
    try {
      st = await lstat(full);
    } catch {
      throw new AppError('VALIDATION', `Dossier de numérisation introuvable : « ${full.slice(0, 200)} ». Vérifiez le chemin ou le partage réseau.`, { field: 'path' });
    }
    if (st.isSymbolicLink()) throw new AppError('VALIDATION', `Dossier de numérisation refusé : « ${full.slice(0, 200)} » est un lien ; indiquez le dossier lui-même.`, { field: 'path' });
    if (!st.isDirectory()) throw new AppError('VALIDATION', `Dossier de numérisation refusé : « ${full.slice(0, 200)} » n’est pas un dossier.`, { field: 'path' });
    this.prefs.set(INBOX_FOLDER_PREF, full);
    this.seen.clear();
    return full;
  }

  /** The id of `name` in `folder` (32 hex characters). */
  private idOf(folder: string, name: string): string {
    return createHash('sha256').update(folder).update('\u0000').update(name).digest('hex').slice(0, 32);
  }

  /**
   * Looks at the folder once. Returns true when the set of offered items changed. An unreachable folder (share
   * offline) offers nothing and throws nothing.
   */
  async poll(): Promise<boolean> {
    const folder = this.folder();
    const before = this.offeredKey();
    if (folder !== this.folderSeen) {
      this.seen.clear();
      this.folderSeen = folder;
    }
    if (!folder) return before !== '';
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      this.seen.clear();
      return before !== '';
    }
    const next = new Map<string, Seen>();
    for (const e of entries) {
      // Dirent types come from the entry itself (lstat semantics): a link is a link, never followed.
      if (!e.isFile() || !isPlainName(e.name) || !inboxKind(e.name)) continue;
      let st: Stats;
      try {
        st = await lstat(join(folder, e.name));
      } catch {
        continue; // gone between readdir and lstat
      }
      if (!st.isFile()) continue;
      const prev = this.seen.get(e.name);
      const same = prev !== undefined && prev.size === st.size && prev.mtimeMs === st.mtimeMs;
      next.set(e.name, { size: st.size, mtimeMs: st.mtimeMs, stable: same && st.size > 0 });
    }
    this.seen = next;
    return this.offeredKey() !== before;
  }

  private offeredKey(): string {
    return [...this.seen.entries()].filter(([, s]) => s.stable).map(([n, s]) => `${n}\u0000${s.size}\u0000${s.mtimeMs}`).sort().join('\u0001');
  }

  /** The files offered now (stable at the last two polls), by name. */
  list(): InboxItem[] {
    const folder = this.folder();
    if (!folder) return [];
    return [...this.seen.entries()]
      .filter(([, s]) => s.stable)
      .map(([name, s]) => ({ id: this.idOf(folder, name), name, size: s.size, modifiedAt: new Date(s.mtimeMs).toISOString(), kind: inboxKind(name)! }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  }

  /** The offered item `id`, or NOT_FOUND (French) when it is not (or no longer) offered. */
  private item(id: string): { folder: string; name: string; seen: Seen } {
    const folder = this.folder();
    for (const [name, seen] of this.seen) {
      if (folder && seen.stable && this.idOf(folder, name) === id) return { folder, name, seen };
    }
    throw new AppError('NOT_FOUND', 'Ce fichier n’est plus dans le dossier de numérisation : actualisez la liste « À classer ».');
  }

  /**
   * Reads an offered file without following a link, refusing one that changed since the last poll or is larger than
   * `maxBytes`. Returns its bytes and what `remove` needs to check it is still the same file.
   */
  async read(id: string, maxBytes = MAX_INBOX_FILE_BYTES): Promise<{ name: string; kind: InboxKind; bytes: Uint8Array; size: number; mtimeMs: number }> {
    const { folder, name, seen } = this.item(id);
    if (seen.size > maxBytes) throw new AppError('VALIDATION', `« ${name} » est trop volumineux (${Math.ceil(seen.size / 1048576)} Mo ; ${Math.floor(maxBytes / 1048576)} Mo au plus).`);
    let handle;
    try {
      handle = await open(join(folder, name), constants.O_RDONLY | NOFOLLOW);
    } catch {
      throw new AppError('NOT_FOUND', `« ${name} » n’a pas pu être ouvert (déplacé, supprimé, ou un lien) : actualisez la liste « À classer ».`);
    }
    try {
      const st = await handle.stat();
      if (!st.isFile() || st.size !== seen.size || st.mtimeMs !== seen.mtimeMs) {
        throw new AppError('VALIDATION', `« ${name} » est encore en cours d’écriture ou a changé : attendez quelques secondes et réessayez.`);
      }
      const bytes = new Uint8Array(st.size);
      let offset = 0;
      while (offset < st.size) {
        const { bytesRead } = await handle.read(bytes, offset, st.size - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      if (offset !== st.size) throw new AppError('VALIDATION', `« ${name} » a changé pendant sa lecture : réessayez.`);
      return { name, kind: inboxKind(name)!, bytes, size: st.size, mtimeMs: st.mtimeMs };
    } finally {
      await handle.close();
    }
  }

  /**
   * Deletes the original `name` once its paper is durable, only if it is still the file that was read (same size and
   * mtime, a plain file). Returns false when it was left in place (changed, or already gone).
   */
  async remove(name: string, read: { size: number; mtimeMs: number }): Promise<boolean> {
    const folder = this.folder();
    if (!folder || !isPlainName(name)) return false;
    const path = join(folder, name);
    try {
      const st = await lstat(path);
      if (!st.isFile() || st.size !== read.size || st.mtimeMs !== read.mtimeMs) return false;
      await unlink(path);
      this.seen.delete(name);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Moves an offered file into `.rejetés` inside the folder (created when missing; refused when it is a link or not a
   * folder), under a free name (`scan.pdf`, `scan (2).pdf`…). Nothing is deleted.
   */
  async discard(id: string): Promise<void> {
    const { folder, name } = this.item(id);
    const rejected = join(folder, REJECTED_FOLDER);
    try {
      await mkdir(rejected, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new AppError('VALIDATION', `Impossible de créer le dossier « ${REJECTED_FOLDER} » dans le dossier de numérisation.`);
    }
    const st = await lstat(rejected);
    if (st.isSymbolicLink() || !st.isDirectory()) throw new AppError('VALIDATION', `« ${REJECTED_FOLDER} » dans le dossier de numérisation n’est pas un vrai dossier : le fichier reste en place.`);
    const ext = extname(name);
    const base = name.slice(0, name.length - ext.length);
    for (let n = 1; n < 1000; n++) {
      const target = join(rejected, n === 1 ? name : `${base} (${n})${ext}`);
      try {
        await lstat(target);
        continue; // taken
      } catch {
        await rename(join(folder, name), target);
        this.seen.delete(name);
        return;
      }
    }
    throw new AppError('VALIDATION', `Trop de fichiers « ${name} » déjà rejetés : videz le dossier « ${REJECTED_FOLDER} ».`);
  }
}
