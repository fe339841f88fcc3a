/**
 * RFC 3161 time-stamping (Time-Stamp Protocol): asks a time-stamping authority (TSA) for a token over a SHA-256
 * digest, over HTTP (RFC 3161 §3.4: POST `application/timestamp-query`, answer `application/timestamp-reply`), and
 * reads a token back (its digest, its time). ASN.1 through pkijs/asn1js, never by hand.
 *
 * What is checked here: the answer's status is granted (0) or granted with modifications (1), the token's message
 * imprint is SHA-256 over our digest, its nonce is ours. The token's own CMS signature by the TSA is not checked in
 * the app (no list of trusted TSAs is kept): `openssl ts -verify` with the TSA's certificate does it, and our Ed25519
 * signature covers the token so it cannot be swapped afterwards (docs/deposit-receipt.md "Time-stamp").
 */
import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from '../../../shared/domain/errors';

const SHA256_OID = '2.16.840.1.101.3.4.2.1';

/** The DER of a TimeStampReq (RFC 3161 §2.4.1) for a SHA-256 `digest` (32 bytes), with a 64-bit nonce, certReq true. */
export function timestampRequest(digest: Uint8Array, nonce: Uint8Array = randomBytes(8)): Uint8Array {
  const n = new Uint8Array(nonce);
  n[0] = n[0]! & 0x7f; // a positive INTEGER
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(digest).buffer }),
    }),
    nonce: new asn1js.Integer({ valueHex: n.buffer }),
    certReq: true,
  });
  return new Uint8Array(req.toSchema().toBER(false));
}

/** What a token says: the digest it covers (hex), its time, its nonce (hex). */
export interface TokenInfo {
  digestHex: string;
  genTime: Date;
  nonceHex: string | null;
}

const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');

/** Reads a TimeStampToken (the DER of its ContentInfo, RFC 3161 §2.4.2). Throws VALIDATION when it is not one. */
export function readToken(token: Uint8Array): TokenInfo {
  try {
    const info = pkijs.ContentInfo.fromBER(new Uint8Array(token));
    const signed = new pkijs.SignedData({ schema: info.content });
    const content = signed.encapContentInfo.eContent;
    if (!content) throw new Error('empty');
    const tst = pkijs.TSTInfo.fromBER(content.getValue());
    if (tst.messageImprint.hashAlgorithm.algorithmId !== SHA256_OID) throw new Error('digest');
    return { digestHex: hex(tst.messageImprint.hashedMessage.getValue()), genTime: tst.genTime, nonceHex: tst.nonce ? hex(tst.nonce.valueBlock.valueHexView) : null };
  } catch {
    throw new AppError('VALIDATION', "Le jeton d'horodatage n'est pas un jeton RFC 3161 lisible.");
  }
}

/**
 * Asks the TSA at `url` for a token over `digest` (SHA-256, 32 bytes), waiting `timeoutMs` at most. Returns the
 * token's DER and what it says. Throws VALIDATION (French) when the TSA cannot be reached, refuses, or answers a
 * token for another digest or nonce.
 */
export async function requestTimestamp(url: string, digest: Uint8Array, timeoutMs = 10_000): Promise<{ token: Uint8Array; info: TokenInfo }> {
  const nonce = randomBytes(8);
  nonce[0] = nonce[0]! & 0x7f;
  let body: ArrayBuffer;
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: Buffer.from(timestampRequest(digest, nonce)), signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new AppError('VALIDATION', `L'autorité d'horodatage a répondu ${res.status} (${url}).`);
    body = await res.arrayBuffer();
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('VALIDATION', `L'autorité d'horodatage est injoignable (${url}) : attestation émise sans horodatage.`);
  }
  let token: Uint8Array;
  try {
    const resp = pkijs.TimeStampResp.fromBER(body);
    const status = resp.status.status;
    if ((status !== 0 && status !== 1) || !resp.timeStampToken) throw new AppError('VALIDATION', `L'autorité d'horodatage a refusé la demande (statut ${status}).`);
    token = new Uint8Array(resp.timeStampToken.toSchema().toBER(false));
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('VALIDATION', "La réponse de l'autorité d'horodatage est illisible (RFC 3161 attendu).");
  }
  const info = readToken(token);
  if (info.digestHex !== hex(digest)) throw new AppError('VALIDATION', "L'autorité d'horodatage a horodaté une autre empreinte : jeton refusé.");
  if (info.nonceHex !== null && BigInt(`0x${info.nonceHex}`) !== BigInt(`0x${hex(nonce)}`)) throw new AppError('VALIDATION', "La réponse de l'autorité d'horodatage ne correspond pas à la demande (nonce).");
  return { token, info };
}
