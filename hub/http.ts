/**
 * HTTP plumbing shared by every route: body parsers that keep the raw bytes (the request signature covers their
 * SHA-256), zod parsing that names the bad field, and one error answer `{ error: { code, message, serverTime } }`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import { announcedDigest, sha256hex } from './auth';
import { HubError, badRequest } from './errors';
import type { DeviceRow } from './storage/registry';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received (empty when there was none). */
    rawBody?: Buffer;
    /** hex SHA-256 of `rawBody`, computed once when it was read. */
    bodySha256?: string;
    /** The authenticated device (routes behind `auth`). */
    device?: DeviceRow;
  }
}

/** Parses `value` with `schema`, or throws 400 BAD_REQUEST naming the field and `what` (body, query…). */
export function parse<T>(schema: ZodType<T>, value: unknown, what: string, prefix?: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(what, r.error, prefix);
  return r.data;
}

/**
 * Refuses text the database cannot store as such (PostgreSQL text holds no NUL character: the insert would fail
 * with 500 INTERNAL) with 400 naming the field.
 */
export function storableText(value: string, what: string, field: string): string {
  if (value.includes('\u0000')) throw new HubError(400, 'BAD_REQUEST', `Requête invalide (${what}) : champ « ${field} » — caractère nul interdit.`);
  return value;
}

/** The authenticated device of a request behind `auth` (a programming error otherwise). */
export function deviceOf(req: FastifyRequest): DeviceRow {
  if (!req.device) throw new Error('route sans authentification');
  return req.device;
}

/** A unique constraint hit by two requests racing (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_*). */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'));
}

/**
 * Keeps the raw body and its SHA-256 on the request; when the headers announced a digest (RFC 9530
 * `Content-Digest`, checked against the signature before reading: hub/gate.ts), the body must match it (401).
 */
function keepBody(req: FastifyRequest, body: Buffer): HubError | null {
  req.rawBody = body;
  req.bodySha256 = sha256hex(body);
  const announced = announcedDigest(req);
  if (announced !== undefined && announced !== req.bodySha256) {
    return new HubError(401, 'UNAUTHENTICATED', "Corps de requête différent de l'empreinte annoncée (Content-Digest) : requête refusée.");
  }
  return null;
}

/** Registers the JSON and octet-stream parsers, the error handler and the 404 handler. */
export function installHttp(app: FastifyInstance, now: () => number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    const wrong = keepBody(req, body);
    if (wrong) return done(wrong, undefined);
    if (body.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body.toString('utf8')));
    } catch {
      done(new HubError(400, 'BAD_REQUEST', 'Corps de requête illisible : JSON invalide.'), undefined);
    }
  });
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    const wrong = keepBody(req, body);
    done(wrong, wrong ? undefined : body);
  });

  app.setErrorHandler((error: FastifyError | HubError, req: FastifyRequest, reply: FastifyReply) => {
    let e: HubError;
    if (error instanceof HubError) e = error;
    else if (isUniqueViolation(error)) e = new HubError(409, 'BAD_REQUEST', 'Conflit avec une écriture simultanée : réessayez.');
    else if (error.statusCode === 413) e = new HubError(413, 'TOO_LARGE', 'Requête trop volumineuse pour le hub.');
    else if (error.statusCode === 415) e = new HubError(415, 'BAD_REQUEST', 'Type de contenu non pris en charge (JSON ou application/octet-stream attendu).');
    else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) e = new HubError(error.statusCode, 'BAD_REQUEST', 'Requête invalide.');
    else {
      req.log.error({ err: { name: error.name, message: error.message, stack: error.stack } }, 'erreur interne');
      e = new HubError(500, 'INTERNAL', 'Erreur interne du hub.');
    }
    void reply
      .code(e.status)
      // The code again as a header: a HEAD answer has no body to carry it. A body still on its way (refused before
      // it was read: hub/gate.ts, or larger than the route takes) is not read: the connection closes after the answer.
      .headers({ ...e.headers, 'x-solidariciel-error': e.code, ...(req.raw.complete ? {} : { connection: 'close' }) })
      .send({ error: { code: e.code, message: e.message, serverTime: now() } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'NOT_FOUND', message: `Route inconnue : ${req.method} ${req.url.split('?')[0]}`, serverTime: now() } });
  });
}
