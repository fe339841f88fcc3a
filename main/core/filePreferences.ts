/**
 * Preferences kept in a small JSON file (browser host; Electron uses electron-store, the CLI memory).
 * A missing or unreadable file reads as empty preferences; writes are atomic.
 *
 * The file must stay out of reach of other local OS users (docs/threat-model.md, "Another local OS user"):
 * - its folder is created 0700 and must be a real folder (not a link), owned by the current user and writable by
 *   nobody else — otherwise the constructor throws, naming the folder;
 * - it is read without following a link, and written through a temporary file with a random name, created with
 *   O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600, then renamed over the file (a rename replaces a link, never follows it).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateFolder, type PrivateFolderRules } from '../fs/privateFolder';
import type { Preferences } from './ports';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export interface FilePreferencesOptions {
  /** The uid that must own the folder; defaults to the current user's (`process.getuid()`). Ignored on Windows. */
  owner?: number;
}

/** Reads `file` as UTF-8 without following a link; `undefined` if it is missing, a link or not a regular file. */
function readNoFollow(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `text` to `file` atomically: a fresh `<file>.tmp-<16 hex>` created exclusively without following links
 * (mode 0600), fsynced, then renamed over `file`. The temporary file is removed on failure.
 */
function writePrivateAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${randomBytes(8).toString('hex')}`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
  try {
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed or gone
    }
    throw error;
  }
}

export class FilePreferences implements Preferences {
  private data: Record<string, unknown>;
  private readonly folder: string;
  private readonly rules: PrivateFolderRules;

  /**
   * @param file the JSON file; its folder is created (0700) and checked at once.
   * @throws Error (French) if the folder is a link, not a folder, owned by someone else or writable by others.
   */
  constructor(
    private readonly file: string,
    options: FilePreferencesOptions = {},
  ) {
    this.folder = dirname(file);
    this.rules = { label: 'Dossier des préférences', hint: 'Indiquez un dossier personnel (--prefs).', ...(options.owner === undefined ? {} : { owner: options.owner }) };
    ensurePrivateFolder(this.folder, this.rules);
    try {
      const parsed: unknown = JSON.parse(readNoFollow(file) ?? '{}');
      this.data = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      this.data = {};
    }
  }

  get(key: string): unknown {
    return this.data[key];
  }

  /** Sets `key` and rewrites the file atomically. Throws if the folder no longer passes the checks, or on I/O errors. */
  set(key: string, value: unknown): void {
    this.data[key] = value;
    ensurePrivateFolder(this.folder, this.rules);
    writePrivateAtomic(this.file, JSON.stringify(this.data, null, 2));
  }
}

/** Preferences held in memory only (tests). */
export class MemoryPreferences implements Preferences {
  private readonly data = new Map<string, unknown>();
  get(key: string): unknown {
    return this.data.get(key);
  }
  set(key: string, value: unknown): void {
    this.data.set(key, value);
  }
}
