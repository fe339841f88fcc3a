/**
 * One piece of work at a time per key (a folder, a file) within this process: each starts when the previous one with
 * the same key has settled, whatever its outcome. For read-modify-write cycles on small JSON files (keyring.json,
 * pending-audit.json) and for unlock attempts, which would otherwise overwrite each other.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after the work queued before it under `key`; resolves or rejects with `work`'s outcome. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(work);
    const settled = result.catch(() => undefined);
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return result;
  }
}
