/**
 * Blobs on disk: `DATA/blobs/<associationId>/<name>` once complete, `DATA/blobs/<associationId>/partial/<deviceId>.<name>`
 * while a device uploads it (one partial file per device, so two devices sending the same blob never interleave).
 * Each chunk is written at its offset and fsynced; `complete` checks SHA-256(content) = name, then renames the
 * partial into place (atomic on one file system) and fsyncs the folder. Blob contents are already encrypted by
 * the devices; names are their hex SHA-256.
 *
 * Quotas (docs/hub-scaling.md "Limits"): an association holds at most `blobBytesPerAssociation` bytes (complete and
 * partial, counted in `associations.blob_bytes`, reserved before each chunk is written) and at most
 * `partialUploadsPerAssociation` uploads in progress; a partial upload that received nothing for
 * `partialUploadTtlMs` is removed by the sweep (`expirePartials`).
 */
import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HubError } from './errors';
import type { HubLimits } from './limits';

/** Where the blob usage of each association is counted (hub/storage/registry.ts). */
export interface BlobUsage {
  /** Adds `bytes` if the association's total stays ≤ `limit`; false otherwise. */
  reserveBlobBytes(associationId: string, bytes: number, limit: number): Promise<boolean>;
  releaseBlobBytes(associationId: string, bytes: number): Promise<void>;
}

export type BlobLimits = Pick<HubLimits, 'blobBytesPerAssociation' | 'partialUploadsPerAssociation' | 'partialUploadTtlMs'>;

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

async function files(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

const gb = (bytes: number) => (bytes / 1024 ** 3).toLocaleString('fr-FR', { maximumFractionDigits: 1 });

export class BlobStore {
  constructor(
    private readonly root: string,
    private readonly usage: BlobUsage,
    private readonly limits: BlobLimits,
  ) {}

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

  /** How many uploads the association has in progress (partial files, all devices). */
  async partialCount(associationId: string): Promise<number> {
    return (await files(join(this.dir(associationId), 'partial'))).length;
  }

  /**
   * Writes `bytes` at `offset` of the device's partial upload and returns the new uploaded size. 409 with
   * `x-uploaded-bytes` when `offset` is not the partial's current size (the device resumes from there); a new upload
   * beyond the association's count of uploads in progress: 429 (RFC 6585 §4); a chunk beyond its bytes quota: 507
   * (RFC 4918 §11.5). Both with code TOO_LARGE, nothing written.
   */
  async append(associationId: string, deviceId: string, name: string, offset: number, bytes: Buffer): Promise<number> {
    const path = this.partial(associationId, deviceId, name);
    const current = await sizeOf(path);
    if (current === null && offset === 0 && (await this.partialCount(associationId)) >= this.limits.partialUploadsPerAssociation) {
      throw new HubError(429, 'TOO_LARGE', `Trop d'envois de pièces en cours pour cette association (${this.limits.partialUploadsPerAssociation} au plus) : terminez-les ou attendez leur expiration.`);
    }
    if (current !== offset && !(current === null && offset === 0)) throw this.resumeAt(offset, current ?? 0);
    if (offset + bytes.length > MAX_BLOB_BYTES) {
      throw new HubError(413, 'TOO_LARGE', `Pièce trop volumineuse pour le hub (plus de ${MAX_BLOB_BYTES / (1024 * 1024)} Mo).`);
    }
    const quota = this.limits.blobBytesPerAssociation;
    if (!(await this.usage.reserveBlobBytes(associationId, bytes.length, quota))) {
      throw new HubError(507, 'TOO_LARGE', `Espace de l'association sur le hub épuisé (${gb(quota)} Go) : la pièce n'a pas été envoyée. L'opérateur du hub peut relever ce quota.`);
    }
    let written = false;
    await mkdir(join(this.dir(associationId), 'partial'), { recursive: true });
    const handle = await open(path, 'a+');
    try {
      const { size } = await handle.stat();
      if (size !== offset) throw this.resumeAt(offset, size);
      if (bytes.length > 0) {
        await handle.write(bytes, 0, bytes.length);
        written = true;
        await handle.sync();
      }
      return size + bytes.length;
    } finally {
      await handle.close();
      if (!written) await this.usage.releaseBlobBytes(associationId, bytes.length);
    }
  }

  private resumeAt(offset: number, size: number): HubError {
    return new HubError(409, 'BAD_REQUEST', `Le morceau commence à l'octet ${offset} mais le hub en a reçu ${size} : reprenez à ${size}.`, { 'x-uploaded-bytes': String(size) });
  }

  /**
   * Removes the partial uploads that received nothing for `partialUploadTtlMs` before `now` (ms), and takes their
   * bytes off their association's usage. Returns how many were removed.
   */
  async expirePartials(now: number): Promise<number> {
    let removed = 0;
    for (const associationId of await this.associations()) {
      const dir = join(this.dir(associationId), 'partial');
      for (const file of await files(dir)) {
        const path = join(dir, file);
        const info = await stat(path).catch(() => null);
        if (!info || now - info.mtimeMs <= this.limits.partialUploadTtlMs) continue;
        if (await unlink(path).then(() => true, () => false)) {
          await this.usage.releaseBlobBytes(associationId, info.size);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Bytes held on disk per association (complete and partial blobs), to set the usage counters right at start. */
  async measure(): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    for (const associationId of await this.associations()) {
      let total = 0;
      for (const dir of [this.dir(associationId), join(this.dir(associationId), 'partial')]) {
        for (const file of await files(dir)) total += (await sizeOf(join(dir, file))) ?? 0;
      }
      sizes.set(associationId, total);
    }
    return sizes;
  }

  private async associations(): Promise<string[]> {
    try {
      return (await readdir(this.root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
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
      await this.discard(associationId, path, size);
      throw new HubError(422, 'BLOB_MISMATCH', "Le contenu reçu ne correspond pas à l'empreinte annoncée : envoi abandonné, recommencez depuis le début.");
    }
    const stored = await sizeOf(this.final(associationId, name));
    if (stored !== null) {
      // Another device completed the same blob first: its copy stays, this one is not counted twice.
      await this.discard(associationId, path, size);
      return stored;
    }
    await rename(path, this.final(associationId, name));
    await fsyncDir(this.dir(associationId));
    return size;
  }

  private async discard(associationId: string, path: string, size: number): Promise<void> {
    if (await unlink(path).then(() => true, () => false)) await this.usage.releaseBlobBytes(associationId, size);
  }

  /**
   * Deletes a blob (an erased paper's ciphertext, docs/erasure.md) and every device's partial upload of it; its bytes
   * leave the association's usage. Returns false when nothing of it was here.
   */
  async remove(associationId: string, name: string): Promise<boolean> {
    let found = false;
    const final = this.final(associationId, name);
    const size = await sizeOf(final);
    if (size !== null) {
      found = true;
      await this.discard(associationId, final, size);
    }
    const partialDir = join(this.dir(associationId), 'partial');
    for (const file of await files(partialDir)) {
      if (!file.endsWith(`.${name}`)) continue;
      const path = join(partialDir, file);
      found = true;
      await this.discard(associationId, path, (await sizeOf(path)) ?? 0);
    }
    if (found) await fsyncDir(this.dir(associationId));
    return found;
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
