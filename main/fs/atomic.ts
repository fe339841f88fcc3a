/**
 * Durable, all-or-nothing file writes (DESIGN.md, "An association on disk": write to a temporary file, fsync, rename).
 *
 * A reader sees either the old file or the complete new one, never a partial write, and after `writeFileAtomic`
 * resolves the new content and its directory entry have been flushed to stable storage (as far as the OS allows:
 * on Windows a directory cannot be opened for fsync, so that last step is skipped there).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../shared/domain/errors';

/** What `writeFileAtomic` accepts: one buffer, or chunks written in order (sync or async iterable). */
export type AtomicData = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** Prefix of the temporary files; listings (e.g. the blob store) must ignore names starting with it. */
export const TEMP_PREFIX = '.tmp-';

const isWindows = process.platform === 'win32';

/**
 * A file being written in the background: `push` hands a chunk to the OS at once (positioned writes on libuv's
 * thread pool, so the caller can go on computing the next chunk), `commit` waits for every write, fsyncs, renames
 * the temporary file to its final path and fsyncs that path's directory. Until `commit` resolves, nothing is visible
 * under the final name; `abort` (or a failed `commit`) removes the temporary file.
 */
export interface AtomicWriter {
  /** Queues `chunk` after the previous ones. The chunk must not be modified until `commit` or `abort` resolves. */
  push(chunk: Uint8Array): void;
  /** Bytes pushed so far. */
  readonly size: number;
  /**
   * Makes the file durable under `path` (same file system as the temporary file's directory).
   * @throws the first write error, or the fsync/rename error (AppError FILE_BUSY when the destination stayed held
   *   by another program through the retries); the temporary file is then removed.
   */
  commit(path: string): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Opens a temporary file (`<dir>/.tmp-<16 hex>`, created exclusively, mode 0600) for an `AtomicWriter`.
 * @throws the `open` error (ENOENT if `dir` is missing, EACCES…).
 */
export async function openAtomicWriter(dir: string): Promise<AtomicWriter> {
  const tmp = join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  const handle = await open(tmp, 'wx', 0o600);
  const writes: Promise<void>[] = [];
  let size = 0;
  let closed = false;
  const discard = async () => {
    if (!closed) {
      closed = true;
      await Promise.allSettled(writes);
      await handle.close().catch(() => undefined);
    }
    await unlink(tmp).catch(() => undefined);
  };
  return {
    push(chunk) {
      writes.push(writeAt(handle, chunk, size));
      size += chunk.byteLength;
    },
    get size() {
      return size;
    },
    async commit(path) {
      try {
        await Promise.all(writes);
        await handle.sync();
        closed = true;
        await handle.close();
        await renameWithRetry(tmp, path);
      } catch (error) {
        await discard();
        throw error;
      }
      await fsyncDirectory(dirname(path));
    },
    abort: discard,
  };
}

/**
 * Writes `data` to `path` atomically and durably.
 *
 * Steps: create `<dir>/.tmp-<16 hex>` exclusively (mode 0600), write every byte, fsync the file, close it, rename it
 * over `path`, then fsync the directory so the rename itself survives a power cut (POSIX `rename(2)` is atomic within
 * one file system, which is why the temporary file lives in the same directory).
 *
 * @param path destination file; its directory must exist.
 * @param data the whole content as one `Uint8Array`, or an (async) iterable of chunks written in order.
 * @throws the underlying `NodeJS.ErrnoException` (ENOENT, ENOSPC, EACCES…); on any error the temporary file is removed
 *   and `path` is left untouched.
 */
export async function writeFileAtomic(path: string, data: AtomicData): Promise<void> {
  const writer = await openAtomicWriter(dirname(path));
  try {
    if (data instanceof Uint8Array) writer.push(data);
    else for await (const chunk of data) writer.push(chunk);
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await writer.commit(path);
}

/** `FileHandle.write` may write fewer bytes than asked: loop until the whole buffer is written at `position`. */
async function writeAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset, position + offset);
    offset += bytesWritten;
  }
}

/**
 * When and how long to retry a file operation that another program holds for a moment (docs/windows.md, "File
 * locks"): on Windows an antivirus, the search indexer or a backup tool opens new files to scan them, and MoveFileEx
 * (our rename) then fails with EPERM, EACCES or EBUSY until it lets go. Elsewhere only EBUSY is worth a retry: EPERM
 * and EACCES are real permission errors there.
 */
export interface LockRetryPolicy {
  /** errno codes that mean "held for a moment". */
  retryable: ReadonlySet<string>;
  /** Waits between tries, in milliseconds; their count is the number of retries. */
  delaysMs: readonly number[];
}

/** Back-off between tries: about 2.3 s in all, long enough for an on-access scan of a few MB. */
export const LOCK_RETRY_DELAYS_MS: readonly number[] = [10, 20, 40, 80, 150, 250, 400, 600, 750];

/** The policy for `platform` (default: this one). */
export function lockRetryPolicy(platform: NodeJS.Platform = process.platform): LockRetryPolicy {
  return { retryable: new Set(platform === 'win32' ? ['EPERM', 'EACCES', 'EBUSY'] : ['EBUSY']), delaysMs: LOCK_RETRY_DELAYS_MS };
}

/**
 * Runs `op`, retrying with the policy's back-off while it fails with a retryable code.
 * @param file the file concerned, named in the French message.
 * @throws AppError('FILE_BUSY') with the last errno code in `details.cause` once the retries are spent; any other
 *   error at once, unchanged.
 */
export async function retryWhileLocked<T>(op: () => Promise<T>, file: string, policy: LockRetryPolicy = lockRetryPolicy()): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!policy.retryable.has(code)) throw error;
      const delay = policy.delaysMs[attempt];
      if (delay === undefined) {
        throw new AppError(
          'FILE_BUSY',
          `Le fichier « ${basename(file)} » est retenu par un autre programme (antivirus, sauvegarde ou indexation ?) : réessayez dans un instant.`,
          { cause: code },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** `rename` over an existing file (atomic on POSIX; MoveFileEx with REPLACE_EXISTING on Windows), retried while held. */
function renameWithRetry(from: string, to: string): Promise<void> {
  return retryWhileLocked(() => rename(from, to), to);
}

/** Flushes a directory entry (the rename). Not possible on Windows, where NTFS journals metadata itself. */
async function fsyncDirectory(dir: string): Promise<void> {
  if (isWindows) return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems (e.g. certain network mounts) refuse fsync on a directory; the data itself is already synced.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR') throw error;
  } finally {
    await handle.close();
  }
}

