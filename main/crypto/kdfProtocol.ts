/** Messages between kdf.ts and its fallback worker (kdfWorker.ts). */

/** One Argon2id13 derivation: `memlimit` in bytes, `opslimit` passes, `length` bytes of output. */
export interface Argon2idJob {
  password: Uint8Array;
  salt: Uint8Array;
  opslimit: number;
  memlimit: number;
  length: number;
}

/** The worker's one answer. */
export type Argon2idResult = { ok: true; key: Uint8Array } | { ok: false; message: string };
