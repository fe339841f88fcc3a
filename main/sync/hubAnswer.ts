/**
 * Reading a hub's answers with a ceiling (main/sync/hubClient.ts): a hub that sends more than expected, or never
 * stops, is cut off instead of filling this PC's memory until the request times out.
 */
import { MAX_BODY_BYTES } from '../../shared/sync/protocol';

/**
 * The largest JSON answer read (a pull page is at most ≈ 4 MB of ciphertext, or one envelope of at most
 * MAX_BODY_BYTES, in base64): a hub that sends more, or never stops, is cut off instead of filling this PC's memory
 * until the request times out (the core process, and every screen with it, would be killed first).
 */
export const MAX_ANSWER_BYTES = 4 * MAX_BODY_BYTES;
/** An error answer is a sentence: more is not read. */
export const MAX_ERROR_BYTES = 64 * 1024;
/** The largest blob read (the hub takes none larger: hub/blobs.ts MAX_BLOB_BYTES). */
export const MAX_BLOB_BYTES = 512 * 1024 * 1024;

/** Thrown by readText/readBytes when an answer passes its ceiling; the caller turns it into a French AppError. */
export class AnswerTooLarge extends Error {}

/** The body as text, reading at most `limit` bytes (AnswerTooLarge beyond, the rest is not downloaded). */
export async function readText(res: Response, limit: number): Promise<string> {
  if (!res.body) {
    // No stream (an empty answer, or a fetch answering a subset of Response, as bench/syncHub.ts does).
    const text = await res.text();
    if (Buffer.byteLength(text) > limit) throw new AnswerTooLarge();
    return text;
  }
  return (await readBytes(res, limit)).toString('utf8');
}

/** The body's bytes, at most `limit` (AnswerTooLarge beyond, the rest is not downloaded). */
export async function readBytes(res: Response, limit: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw new AnswerTooLarge();
  }
  if (!res.body) {
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > limit) throw new AnswerTooLarge();
    return bytes;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
