/**
 * Whether an encrypted PDF opens without a password (ISO 32000-1 §7.6.3 and ISO 32000-2 §7.6.4, standard security
 * handler: an empty user password, only an owner password restricting printing or copying), checked by pdf.js — the
 * reader the window shows papers with — which implements every revision (RC4 40/128, AES-128, AES-256 R5/R6).
 * pdf.js is loaded only for encrypted PDFs, inside the assembly worker (through pdfjs.ts, the core's one loader).
 */
import { openPdfJs } from './pdfjs';

/** What opening with an empty password gives: the page count, or why it cannot be opened. */
export type EmptyPasswordResult = { ok: true; pages: number } | { ok: false; reason: 'password' | 'damaged' };

/**
 * Opens `bytes` with pdf.js and an empty password. Never throws: a user password gives `reason: 'password'`, any
 * other failure `reason: 'damaged'`. `bytes` is copied (pdf.js takes its buffer).
 */
export async function openWithoutPassword(bytes: Uint8Array): Promise<EmptyPasswordResult> {
  const task = await openPdfJs(bytes, '');
  try {
    const doc = await task.promise;
    const pages = doc.numPages;
    await doc.destroy();
    return { ok: true, pages };
  } catch (error) {
    await task.destroy().catch(() => undefined);
    return { ok: false, reason: (error as { name?: string }).name === 'PasswordException' ? 'password' : 'damaged' };
  }
}
