/**
 * The `vault/` folder of an association (DESIGN.md, "An association on disk"): one encrypted blob per document, named by
 * the SHA-256 of its ciphertext (content addressing), so a blob's name is also its integrity check.
 *
 * Layout: `<dir>/<first 2 hex digits>/<64 hex digits>`, fanned out so no folder holds more than a few thousand files.
 * The store only sees ciphertext; encryption lives in `secretstream.ts`.
 */
import { createHash, type Hash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../shared/domain/errors';
import { openAtomicWriter, type AtomicWriter } from '../fs/atomic';

const NAME = /^[0-9a-f]{64}$/;
const FAN_OUT = /^[0-9a-f]{2}$/;

/** Lowercase hex SHA-256 (FIPS 180-4) of `bytes`: the name of a blob holding exactly these bytes. */
export function blobName(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** True for a well-formed blob name: exactly 64 lowercase hex digits. */
export function isBlobName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}

/** Content-addressed, atomically written store of vault blobs. */
export class BlobStore {
  /** @param dir the association's `vault/` folder; created on the first `put` if missing. */
  constructor(readonly dir: string) {}

  /**
   * Stores `ciphertext` durably (temporary file, fsync, rename, fsync of the folder) and returns its name.
   * Storing the same bytes twice yields the same name and rewrites the same content (it also repairs a damaged copy).
   * Resolve before committing the database row that points to the blob: an orphan blob is harmless, a dangling row is not.
   *
   * @returns `name`: lowercase hex SHA-256 of the ciphertext; `size`: its length in bytes.
   * @throws the file system error (ENOSPC, EACCES…) if the blob cannot be written; nothing partial is left behind.
   */
  async put(ciphertext: Uint8Array): Promise<{ name: string; size: number }> {
    const writer = await this.begin();
    writer.push(ciphertext);
    return writer.commit();
  }

  /**
   * Starts a blob whose bytes arrive in order (encryption writes each part while it computes the next): parts go to a
   * temporary file in `dir` at once and are hashed as they come; `commit` names the blob by that hash and makes it
   * durable exactly as `put` does. Nothing is visible in the store before `commit` resolves.
   */
  async begin(): Promise<BlobWriter> {
    await mkdir(this.dir, { recursive: true });
    return new BlobWriter(await openAtomicWriter(this.dir), (name) => this.pathOf(name));
  }

  /**
   * Reads a blob and checks its bytes still hash to its name.
   *
   * @throws AppError('VALIDATION') if `name` is not 64 lowercase hex digits (checked before any file system access);
   * @throws AppError('VAULT_CORRUPT', …, { reason: 'missing', name }) if the blob is not on disk;
   * @throws AppError('VAULT_CORRUPT', …, { reason: 'tampered', name, actual }) if its content no longer matches its name.
   */
  async get(name: string): Promise<Uint8Array> {
    const path = this.pathOf(name);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AppError('VAULT_CORRUPT', `Pièce introuvable dans le coffre-fort (${name.slice(0, 12)}…).`, {
          reason: 'missing',
          name,
        });
      }
      throw error;
    }
    const actual = blobName(bytes);
    if (actual !== name) {
      throw new AppError('VAULT_CORRUPT', `Pièce du coffre-fort modifiée sur le disque (${name.slice(0, 12)}…).`, {
        reason: 'tampered',
        name,
        actual,
      });
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * True if a blob with this name exists (its content is not verified; `get` does that).
   * @throws AppError('VALIDATION') for a malformed name.
   */
  async has(name: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(name))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /**
   * Names of all stored blobs, sorted. Ignores anything that is not a blob (temporary files left by a crash, stray
   * files, a blob filed under the wrong prefix). An absent `dir` is an empty store.
   */
  async list(): Promise<string[]> {
    const names: string[] = [];
    for (const prefix of await readdirOrEmpty(this.dir)) {
      if (!FAN_OUT.test(prefix)) continue;
      for (const name of await readdirOrEmpty(join(this.dir, prefix))) {
        if (isBlobName(name) && name.startsWith(prefix)) names.push(name);
      }
    }
    return names.sort();
  }

  /**
   * Deletes a blob (for the collector of orphan blobs). Deleting a missing blob is not an error.
   * @throws AppError('VALIDATION') for a malformed name.
   */
  async remove(name: string): Promise<void> {
    try {
      await unlink(this.pathOf(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /** The only way a name becomes a path: validated first, so `../` or absolute paths never reach the file system. */
  private pathOf(name: string): string {
    if (!isBlobName(name)) {
      throw new AppError('VALIDATION', 'Nom de pièce du coffre-fort invalide : 64 caractères hexadécimaux attendus.', {
        field: 'name',
      });
    }
    return join(this.dir, name.slice(0, 2), name);
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** A blob being written; see `BlobStore.begin`. */
export class BlobWriter {
  private readonly hash: Hash = createHash('sha256');

  constructor(
    private readonly file: AtomicWriter,
    private readonly pathOf: (name: string) => string,
  ) {}

  /** Appends the next part. It must not be modified until `commit` or `abort` resolves. */
  push(part: Uint8Array): void {
    this.hash.update(part);
    this.file.push(part);
  }

  /** Names the blob by the SHA-256 of everything pushed and stores it durably. */
  async commit(): Promise<{ name: string; size: number }> {
    const name = this.hash.digest('hex');
    const path = this.pathOf(name);
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (error) {
      await this.file.abort();
      throw error;
    }
    await this.file.commit(path);
    return { name, size: this.file.size };
  }

  abort(): Promise<void> {
    return this.file.abort();
  }
}
