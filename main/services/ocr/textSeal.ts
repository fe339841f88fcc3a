/**
 * A page's recognised text, sealed like the paper it comes from (docs/ocr.md "Sealing"): XChaCha20-Poly1305
 * (main/crypto/aead.ts) under a key derived from the paper's document key with libsodium's crypto_kdf (context
 * `doctext_`, subkey 1), so exactly the people who can open the paper — its visibility, docs/access.md "Keys" — can
 * read its text. The associated data binds the box to its paper, page and file (SHA-256): a box moved to another
 * paper, page or to the replaced file does not open.
 */
import { z } from 'zod';
import { open, seal, sealedBox, wipe } from '../../crypto/aead';
import { getSodium } from '../../crypto/sodium';
import { safeJson } from '../vault/rows';

/** libsodium crypto_kdf context (8 bytes) of the key that seals a paper's recognised text. */
export const TEXT_KDF_CONTEXT = 'doctext_';

/** What a `document_texts` row seals: the text, the page image's size and placement, and each word's box. */
export const pageText = z.object({
  text: z.string(),
  /** Mean confidence 0–100. */
  confidence: z.number(),
  /** Pixels of the image recognised. */
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  /** The image's unit square → page points (pageImages.ts), or null. */
  matrix: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]).nullable(),
  /** [text, x0, y0, x1, y1] in the image's pixels (top-left origin). */
  words: z.array(z.tuple([z.string(), z.number(), z.number(), z.number(), z.number()])),
  /**
   * Where the text comes from: `ocr` (recognised by Tesseract; absent in rows sealed before this field) or
   * `textLayer` (the page's own text, read by pdf.js: its "image" is then the page itself, 1 pixel = 1 point, and
   * the searchable export adds no hidden text over it).
   */
  source: z.enum(['ocr', 'textLayer']).optional(),
});
export type PageText = z.infer<typeof pageText>;

export const textAd = (documentId: string, page: number, sha256: string) => `solidariciel/v1/document-text/${documentId}/${page}/${sha256}`;

async function textKey(docKey: Uint8Array): Promise<Uint8Array> {
  const sodium = await getSodium();
  return sodium.crypto_kdf_derive_from_key(32, 1, TEXT_KDF_CONTEXT, docKey);
}

/** Seals `text` for the paper whose document key is `docKey`; returns the `ciphertext` column (JSON). */
export async function sealPageText(docKey: Uint8Array, documentId: string, page: number, sha256: string, text: PageText): Promise<string> {
  const key = await textKey(docKey);
  try {
    return JSON.stringify(await seal(key, new TextEncoder().encode(JSON.stringify(text)), textAd(documentId, page, sha256)));
  } finally {
    await wipe(key);
  }
}

/** Opens a `ciphertext` column; null when it does not open (wrong key, moved or altered box) or is malformed. */
export async function openPageText(docKey: Uint8Array, documentId: string, page: number, sha256: string, ciphertext: string): Promise<PageText | null> {
  const box = sealedBox.safeParse(safeJson(ciphertext));
  if (!box.success) return null;
  const key = await textKey(docKey);
  try {
    const plain = await open(key, box.data, textAd(documentId, page, sha256));
    const parsed = plain ? pageText.safeParse(safeJson(new TextDecoder().decode(plain))) : null;
    return parsed?.success ? parsed.data : null;
  } finally {
    await wipe(key);
  }
}
