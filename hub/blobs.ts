/**
 * Blobs on disk: `DATA/blobs/<associationId>/<name>` once complete, `DATA/blobs/<associationId>/partial/<deviceId>.<name>`
 * while a device uploads it (one partial file per device, so two devices sending the same blob never interleave).
 * Each chunk is written at its offset and fsynced; `complete` checks SHA-256(content) = name, then renames the
 * partial into place (atomic on one file system) and fsyncs the folder. Blob contents are already encrypted by
 * the devices; names are their hex SHA-256.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HubError } from './errors';

/**
 * The largest blob the hub takes: a paper is at most 200 MiB of files (shared/contract/vault.ts MAX_DOCUMENT_BYTES)
 * and its encrypted PDF stays of that order. Without a bound, one device could fill the hub's disk one chunk at a time.
 */
export const MAX_BLOB_BYTES = 512 * 1024 * 1024;

export type BlobStatus = { stored: true; size: number } | { stored: false; uploaded: number };

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class BlobStore {
  constructor(private readonly root: string) {}

  private dir(associationId: string): string {
    return join(this.root, associationId);
  }

  private final(associationId: string, name: string): string {
    return join(this.dir(associationId), name);
  }

  private partial(associationId: string, deviceId: string, name: string): string {
    return join(this.dir(associationId), 'partial', `${deviceId}.${name}`);
  }

  /** Stored (with its size), or how many bytes this device has uploaded so far. */
  async status(associationId: string, deviceId: string, name: string): Promise<BlobStatus> {
    const size = await sizeOf(this.final(associationId, name));
    if (size !== null) return { stored: true, size };
    return { stored: false, uploaded: (await sizeOf(this.partial(associationId, deviceId, name))) ?? 0 };
  }

  /**
   * Writes `bytes` at `offset` of the device's partial upload and returns the new uploaded size. 409 with
   * `x-uploaded-bytes` when `offset` is not the partial's current size (the device resumes from there).
   */
  async append(associationId: string, deviceId: string, name: string, offset: number, bytes: Buffer): Promise<number> {
    const path = this.partial(associationId, deviceId, name);
    await mkdir(join(this.dir(associationId), 'partial'), { recursive: true });
    const handle = await open(path, 'a+');
    try {
      const { size } = await handle.stat();
      if (size !== offset) {
        throw new HubError(409, 'BAD_REQUEST', `Le morceau commence à l'octet ${offset} mais le hub en a reçu ${size} : reprenez à ${size}.`, { 'x-uploaded-bytes': String(size) });
      }
      if (size + bytes.length > MAX_BLOB_BYTES) {
        throw new HubError(413, 'TOO_LARGE', `Pièce trop volumineuse pour le hub (plus de ${MAX_BLOB_BYTES / (1024 * 1024)} Mo).`);
      }
      if (bytes.length > 0) {
        await handle.write(bytes, 0, bytes.length);
        await handle.sync();
      }
      return size + bytes.length;
    } finally {
      await handle.close();
    }
  }

  /**
   * Checks the device's partial upload against `name` (hex SHA-256) and moves it into place. Returns the size.
   * 422 BLOB_MISMATCH (partial discarded) when the content does not match; 404 when nothing was uploaded.
   */
  async complete(associationId: string, deviceId: string, name: string): Promise<number> {
    const path = this.partial(associationId, deviceId, name);
    const size = await sizeOf(path);
    if (size === null) {
      const stored = await sizeOf(this.final(associationId, name));
      if (stored !== null) return stored;
      throw new HubError(404, 'NOT_FOUND', 'Aucun envoi en cours pour cette pièce.');
    }
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    if (hash.digest('hex') !== name) {
      await unlink(path).catch(() => undefined);
      throw new HubError(422, 'BLOB_MISMATCH', "Le contenu reçu ne correspond pas à l'empreinte annoncée : envoi abandonné, recommencez depuis le début.");
    }
    await rename(path, this.final(associationId, name));
    await fsyncDir(this.dir(associationId));
    return size;
  }

  /** The stored blob's size, or null when it is not stored (complete). */
  size(associationId: string, name: string): Promise<number | null> {
    return sizeOf(this.final(associationId, name));
  }

  /** Bytes `from`…`to` (both inclusive) of a stored blob. */
  stream(associationId: string, name: string, from: number, to: number): ReadStream {
    return createReadStream(this.final(associationId, name), { start: from, end: to });
  }
}
