/**
 * Password → key-encryption key with Argon2id (RFC 9106, version 0x13, one lane: libsodium's `crypto_pwhash`
 * ARGON2ID13, which wrote every existing slot). The parameters are stored in each key slot, so they can be raised
 * later without breaking old slots.
 *
 * Where the derivation runs (docs/performance.md "Core memory"): libsodium in a worker thread that ends after the
 * call, or Node's own `crypto.argon2` (Node ≥ 24.7, OpenSSL's Argon2, on the libuv thread pool; its memory is freed
 * when the call ends) when PREFER_NODE_ARGON2 is on. Never libsodium on the core's thread: its WebAssembly memory
 * would grow to the memory cost (256 MiB) for the life of the process.
 */
import * as nodeCrypto from 'node:crypto';
import { z } from 'zod';
import type { Argon2idJob, Argon2idResult } from './kdfProtocol';
import { getSodium } from './sodium';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers/start';

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
  await argon2id({ password: new TextEncoder().encode('calibration'), salt: new Uint8Array(16), opslimit, memlimit, length: 32 });
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

/**
 * Derives the 32-byte key-encryption key from the password (UTF-8) and the slot's parameters: byte for byte what
 * libsodium's `crypto_pwhash(32, password, salt, opslimit, memlimit, ARGON2ID13)` gives. CPU- and memory-heavy (see
 * the slot's parameters), off the core's thread.
 */
export async function deriveKek(password: string, params: KdfParams): Promise<Uint8Array> {
  const sodium = await getSodium();
  return argon2id({ password: new TextEncoder().encode(password), salt: sodium.from_base64(params.salt), opslimit: params.opslimit, memlimit: params.memlimit, length: 32 });
}

/** Node's `crypto.argon2` (Node ≥ 24.7; not in this @types/node yet). `memory` in KiB. */
export type NodeArgon2 = (
  algorithm: 'argon2id',
  parameters: { message: Uint8Array; nonce: Uint8Array; parallelism: number; tagLength: number; memory: number; passes: number },
  callback: (error: Error | null, key: Buffer) => void,
) => void;

/** The runtime's `crypto.argon2`, or undefined where it lacks one (Node < 24.7, an Electron on an older Node). */
export const runtimeArgon2 = (nodeCrypto as unknown as { argon2?: NodeArgon2 }).argon2;

/** Argon2id13 with Node's own implementation: one lane, `memlimit` bytes (a multiple of 1 KiB), `opslimit` passes. */
export function argon2idNative(native: NodeArgon2, job: Argon2idJob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parameters = { message: job.password, nonce: job.salt, parallelism: 1, tagLength: job.length, memory: Math.floor(job.memlimit / 1024), passes: job.opslimit };
    native('argon2id', parameters, (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))));
  });
}

/** How long the worker waits for another derivation before it ends (ms): unlocks and creations derive 2–3 keys in a row. */
export const WORKER_IDLE_MS = 1000;

/** The worker, while derivations keep coming, and the jobs it was given, answered in order. */
interface KdfWorker {
  worker: Worker;
  waiting: { resolve: (key: Uint8Array) => void; reject: (e: Error) => void }[];
  idle: ReturnType<typeof setTimeout> | null;
}
let current: KdfWorker | null = null;

function kdfWorker(): KdfWorker {
  if (current) return current;
  const worker = startWorker(import.meta.url, 'kdf-worker.cjs', './kdfWorker.ts');
  const state: KdfWorker = { worker, waiting: [], idle: null };
  const fail = (e: Error) => {
    if (current === state) current = null;
    for (const w of state.waiting.splice(0)) w.reject(e);
  };
  worker.on('message', (r: Argon2idResult) => {
    const w = state.waiting.shift();
    if (r.ok) w?.resolve(r.key);
    else w?.reject(new Error(`Argon2id : ${r.message}`));
    if (state.waiting.length === 0) {
      worker.unref(); // an idle worker never keeps the process alive
      state.idle = setTimeout(() => {
        if (current === state) current = null;
        void worker.terminate();
      }, WORKER_IDLE_MS);
      state.idle.unref();
    }
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', () => fail(new Error('Argon2id : le calcul de la clé s’est arrêté sans résultat.')));
  current = state;
  return state;
}

/**
 * Argon2id13 with libsodium in a worker thread (kdfWorker.ts), which ends WORKER_IDLE_MS after its last derivation,
 * taking libsodium's grown WebAssembly memory with it. Rejects with the worker's error, or when it stops without
 * answering. `endKdfWorker` ends it at once.
 */
export function argon2idInWorker(job: Argon2idJob): Promise<Uint8Array> {
  const state = kdfWorker();
  if (state.idle) clearTimeout(state.idle);
  state.idle = null;
  state.worker.ref();
  return new Promise((resolve, reject) => {
    state.waiting.push({ resolve, reject });
    state.worker.postMessage(job);
  });
}

/** True while a derivation worker is running (busy, or idle for less than WORKER_IDLE_MS). */
export const kdfWorkerRunning = (): boolean => current !== null;

/** Ends the derivation worker now, if any (resolves once it is gone). */
export async function endKdfWorker(): Promise<void> {
  const state = current;
  current = null;
  if (state) {
    if (state.idle) clearTimeout(state.idle);
    await state.worker.terminate();
  }
}

/** The derivation to use: Node's own when the runtime has it (`native`), else libsodium in a worker. */
export function argon2idWith(native: NodeArgon2 | undefined): (job: Argon2idJob) => Promise<Uint8Array> {
  return native ? (job) => argon2idNative(native, job) : argon2idInWorker;
}

/**
 * Whether Node's own `crypto.argon2` is used where the runtime has it. Off: measured on Node 24.14 (OpenSSL 3.5),
 * it costs 1.5–2.7× the CPU time of libsodium's Argon2id for the same parameters (256 MiB, 3 passes: 3.4 s against
 * 2.1–2.3 s of CPU on a busy 2-core machine; 64 MiB: 540 ms against 200 ms), which would make every unlock that much
 * slower; libsodium in a worker that ends after the call returns its memory just as well (docs/performance.md
 * "Core memory"). Both give the same bytes (tests/unit/crypto/kdfRuntime.test.ts).
 */
export const PREFER_NODE_ARGON2 = false;

const argon2id = argon2idWith(PREFER_NODE_ARGON2 ? runtimeArgon2 : undefined);
