/**
 * Paths the person chose in a native save dialog, each usable once by `vault:exportDocument` within 10 minutes.
 * A decrypted copy of a paper may only be written where the person said so: a compromised renderer that forges
 * `vault:exportDocument { path: '/home/…/.bashrc' }` gets FORBIDDEN. (The CLI passes its own `--out` and does not
 * go through IPC.)
 */
export const GRANT_TTL_MS = 10 * 60_000;

export class SavePathGrants {
  private readonly grants = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a path returned by the save dialog. */
  grant(path: string): void {
    this.grants.set(path, this.now() + GRANT_TTL_MS);
  }

  /** True (and forgets it) if `path` was granted and has not expired. */
  consume(path: unknown): boolean {
    if (typeof path !== 'string') return false;
    const until = this.grants.get(path);
    this.grants.delete(path);
    return until !== undefined && until >= this.now();
  }
}
