/**
 * Entry of the worker thread that derives one Argon2id key with libsodium when the runtime has no `crypto.argon2`
 * (kdf.ts, `argon2idInWorker`). libsodium grows its WebAssembly memory to the derivation's memory cost (256 MiB at the
 * MODERATE class) and never gives it back; in a worker that memory goes with the thread when it ends. Bundled as
 * dist/main/kdf-worker.cjs (scripts/build-main.mjs), loaded from source through tsx otherwise.
 * Input (`workerData`): Argon2idJob. Output: one message, Argon2idResult.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Argon2idJob, Argon2idResult } from './kdfProtocol';
import { getSodium } from './sodium';

const port = parentPort;
if (!port) throw new Error('kdfWorker.ts must run in a worker thread');
const job = workerData as Argon2idJob;

void (async () => {
  let result: Argon2idResult;
  try {
    const s = await getSodium();
    const key = s.crypto_pwhash(job.length, job.password, job.salt, job.opslimit, job.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
    result = { ok: true, key };
  } catch (e) {
    result = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(result);
})();
