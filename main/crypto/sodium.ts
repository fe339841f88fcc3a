/**
 * The one way to reach libsodium (sumo build: it has crypto_pwhash / Argon2id and secretstream).
 * Loaded through CommonJS because the package's ESM entry is not reliable across bundlers.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type SodiumModule = typeof import('libsodium-wrappers-sumo');
export type Sodium = SodiumModule;

let ready: Promise<Sodium> | null = null;

/** Resolves once libsodium's wasm is initialised; the same instance for the whole process. */
export function getSodium(): Promise<Sodium> {
  if (!ready) {
    const sodium = require('libsodium-wrappers-sumo') as Sodium;
    ready = sodium.ready.then(() => sodium);
  }
  return ready;
}
