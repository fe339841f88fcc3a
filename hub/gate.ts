/**
 * The gate: what the hub checks from a request's headers alone, before it reads a byte of the body
 * (docs/sync.md "Authentication", docs/hub-scaling.md "Limits"). An anonymous client must not make the hub hold
 * megabytes in memory or keep a connection busy while it sends them.
 *
 * - Device routes: the authentication headers must be present and the clock close; the device must be known to the
 *   hub, not pending, not revoked; the signature is verified at once when it can be — a request without a body, or
 *   one announcing its body's SHA-256 in `Content-Digest` (RFC 9530). Devices of older versions send no digest:
 *   their signature is verified after the body (bounded by the route's `bodyLimit`), as before.
 * - Public routes (`config: { public: true }`): registration checks the operator's registration secret when one is
 *   given in the headers; the body limits of these routes are small.
 * A refusal here answers at once with `Connection: close`: the body still on its way is never read, and the
 * connection is not reused (RFC 9112 §9.6).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REGISTRATION_SECRET_HEADER } from '../shared/sync/protocol';
import { announcedDigest, readAuthHeaders, sha256hex, signatureValid } from './auth';
import { HubError } from './errors';
import type { Registry } from './storage/registry';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route any client may call (health, registration, redeeming an invitation): the gate lets it through. */
    public?: boolean;
    /** The registration route: a wrong registration secret in the headers is refused before the body. */
    registration?: boolean;
  }
}

const EMPTY_SHA256 = sha256hex('');

/** True when the request announces no body (no Content-Length above 0, no Transfer-Encoding). */
function bodyless(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/** Compares two secrets in constant time (through their hashes, which have the same length). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(sha256hex(given), 'hex'), Buffer.from(sha256hex(expected), 'hex'));
}

/**
 * Whether a registration may create a new association: always when the operator set no secret; otherwise only with
 * the secret in REGISTRATION_SECRET_HEADER. 403 FORBIDDEN otherwise, in French for the administrator.
 */
export function checkRegistrationSecret(req: FastifyRequest, secret: string | undefined): void {
  if (secret === undefined) return;
  const given = req.headers[REGISTRATION_SECRET_HEADER];
  if (typeof given !== 'string' || !sameSecret(given, secret)) {
    throw new HubError(403, 'FORBIDDEN', "Ce hub n'inscrit de nouvelle association qu'avec son secret d'inscription : demandez-le à l'opérateur du hub (option « --registration-secret » de « sync join-hub »).");
  }
}

async function checkDevice(req: FastifyRequest, registry: Registry, now: number): Promise<void> {
  const h = readAuthHeaders(req, now);
  let known = registry.identity(h.deviceId);
  if (!known) {
    const device = await registry.device(h.deviceId);
    if (!device || device.pending) throw new HubError(401, 'UNAUTHENTICATED', 'Poste inconnu du hub : il doit être inscrit (ou son invitation utilisée) avant de synchroniser.');
    if (device.revokedAt !== null) throw new HubError(403, 'DEVICE_REVOKED', "Ce poste a été retiré de l'association : il ne peut plus synchroniser.");
    known = device;
  }
  const announced = announcedDigest(req);
  if (announced === null) throw new HubError(400, 'BAD_REQUEST', 'En-tête Content-Digest illisible (attendu : sha-256=:BASE64:).');
  const digest = bodyless(req) ? EMPTY_SHA256 : announced;
  if (digest !== undefined && !signatureValid(req, h, known.publicKey, digest)) throw new HubError(401, 'UNAUTHENTICATED', 'Signature de la requête invalide.');
}

/**
 * Installs the gate as an `onRequest` hook (it runs before Fastify reads the body). `registrationSecret`: the
 * operator's secret for new associations, if any.
 */
export function installGate(app: FastifyInstance, registry: Registry, now: () => number, registrationSecret: string | undefined): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.routeOptions.url === undefined) return; // no such route: the 404 handler answers
    try {
      if (req.routeOptions.config.public) {
        if (req.routeOptions.config.registration && req.headers[REGISTRATION_SECRET_HEADER] !== undefined) checkRegistrationSecret(req, registrationSecret);
        return;
      }
      await checkDevice(req, registry, now());
    } catch (e) {
      if (!bodyless(req)) void reply.header('connection', 'close');
      throw e;
    }
  });
}
