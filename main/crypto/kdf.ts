/**
 * Password → key-encryption key with Argon2id (libsodium `crypto_pwhash`, RFC 9106). The parameters are stored in
 * each key slot, so they can be raised later without breaking old slots.
 */
import { z } from 'zod';
import { getSodium } from './sodium';

export const kdfParams = z.object({
  alg: z.literal('argon2id13'),
  opslimit: z.number().int().min(1).max(64),
  /** Bytes of memory. */
  memlimit: z.number().int().min(8192).max(4 * 1024 * 1024 * 1024),
  /** base64, 16 bytes. */
  salt: z.string().min(16),
});
export type KdfParams = z.infer<typeof kdfParams>;
export type KdfCost = Pick<KdfParams, 'opslimit' | 'memlimit'>;
export const kdfCost = z.object({ opslimit: kdfParams.shape.opslimit, memlimit: kdfParams.shape.memlimit });

/**
 * The Argon2id floor no slot or account request may go below (DESIGN.md "Keys": at least the MODERATE class, libsodium
 * `crypto_pwhash_OPSLIMIT_MODERATE` / `MEMLIMIT_MODERATE`: 3 passes, 256 MiB). `cost` (tests only) lowers it to a
 * cheaper cost so that fast tests still have a floor to enforce.
 */
export async function kdfFloor(cost?: KdfCost): Promise<KdfCost> {
  const s = await getSodium();
  const moderate = { opslimit: s.crypto_pwhash_OPSLIMIT_MODERATE, memlimit: s.crypto_pwhash_MEMLIMIT_MODERATE };
  return cost ? { opslimit: Math.min(cost.opslimit, moderate.opslimit), memlimit: Math.min(cost.memlimit, moderate.memlimit) } : moderate;
}

/** True when `kdf` costs less than `floor` in passes or in memory. */
export const belowFloor = (kdf: KdfCost, floor: KdfCost): boolean => kdf.opslimit < floor.opslimit || kdf.memlimit < floor.memlimit;

/** Target time of one derivation: slow enough to make guessing costly, short enough for a desk (DESIGN.md "Keys"). */
export const TARGET_MS = 500;

let calibrated: KdfCost | null = null;

/**
 * The cost for new slots: libsodium's MODERATE class (256 MiB, 3 passes) as the floor, with more passes on machines
 * fast enough to do MODERATE in well under TARGET_MS. Measured once per process.
 */
export async function calibratedCost(): Promise<KdfCost> {
  if (calibrated) return calibrated;
  const sodium = await getSodium();
  const memlimit = sodium.crypto_pwhash_MEMLIMIT_MODERATE;
  let opslimit = sodium.crypto_pwhash_OPSLIMIT_MODERATE;
  const start = performance.now();
  sodium.crypto_pwhash(32, 'calibration', new Uint8Array(16), opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
  const ms = performance.now() - start;
  if (ms < TARGET_MS / 2) opslimit = Math.min(12, Math.floor((opslimit * TARGET_MS) / Math.max(ms, 1)));
  calibrated = { opslimit, memlimit };
  return calibrated;
}

/** Fresh parameters (random salt) for a new slot. */
export async function newKdfParams(cost: KdfCost): Promise<KdfParams> {
  const sodium = await getSodium();
  return { alg: 'argon2id13', ...cost, salt: sodium.to_base64(sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES)) };
}

/** Derives the 32-byte key-encryption key. CPU- and memory-heavy (see the slot's parameters). */
export async function deriveKek(password: string, params: KdfParams): Promise<Uint8Array> {
  const sodium = await getSodium();
  return sodium.crypto_pwhash(32, password, sodium.from_base64(params.salt), params.opslimit, params.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
}
