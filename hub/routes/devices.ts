/**
 * Associations and their devices: registration (signed by the device being registered, certified by the root key),
 * the device list, audience, revocation (signed by the root key).
 */
import type { FastifyInstance } from 'fastify';
import { audienceRequest, deviceCertMessage, registerRequest, revokeMessage, revokeRequest } from '../../shared/sync/protocol';
import { verifyEd25519, readAuth } from '../auth';
import type { HubContext } from '../context';
import { HubError, forbidden, notFound } from '../errors';
import { checkRegistrationSecret } from '../gate';
import { BODY_LIMITS } from '../limits';
import { deviceOf, parse, storableText } from '../http';

const revokedError = () => new HubError(403, 'DEVICE_REVOKED', "Ce poste a été retiré de l'association : il ne peut plus synchroniser.");

export function deviceRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.post('/associations', { config: { public: true, registration: true } }, async (req) => {
    const now = ctx.now();
    const body = parse(registerRequest, req.body, 'inscription');
    storableText(body.device.name, 'inscription', 'device.name');
    const auth = readAuth(req, now);
    if (auth.deviceId !== body.device.deviceId || !auth.signedBy(body.device.publicKey)) {
      throw new HubError(401, 'UNAUTHENTICATED', "Signature de l'inscription invalide : elle doit venir du poste inscrit.");
    }
    if (!verifyEd25519(body.rootPublicKey, deviceCertMessage(body.associationId, body.device.deviceId, body.device.publicKey), body.device.cert)) {
      throw forbidden("Certificat du poste invalide : il n'est pas signé par la clé racine de l'association.");
    }
    await ctx.knex.transaction(async (trx) => {
      if (!(await ctx.registry.hasAssociation(body.associationId, trx))) checkRegistrationSecret(req, ctx.registrationSecret);
      const root = await ctx.registry.ensureAssociation(trx, body.associationId, body.rootPublicKey, now);
      if (root !== body.rootPublicKey) throw new HubError(409, 'ASSOCIATION_EXISTS', 'Cet identifiant d’association est déjà inscrit sur le hub avec une autre clé racine.');
      const existing = await ctx.registry.device(body.device.deviceId, trx);
      if (!existing) return ctx.registry.insertDevice(trx, body.associationId, body.device, now, false);
      if (existing.associationId !== body.associationId || existing.publicKey !== body.device.publicKey) {
        throw new HubError(409, 'FORBIDDEN', 'Cet identifiant de poste est déjà inscrit avec une autre clé.');
      }
      if (existing.revokedAt !== null) throw revokedError();
      if (existing.pending) throw new HubError(409, 'FORBIDDEN', 'Ce poste est invité : il rejoint l’association avec son code d’invitation.');
    });
    return { associationId: body.associationId, serverTime: ctx.now() };
  });

  app.get('/devices', { preHandler: ctx.auth }, async (req) => {
    const me = deviceOf(req);
    const devices = await ctx.registry.devices(me.associationId);
    return {
      devices: devices.map((d) => ({ deviceId: d.deviceId, publicKey: d.publicKey, cert: d.cert, name: d.name, createdAt: d.createdAt, revokedAt: d.revokedAt, lastSeenAt: d.lastSeenAt })),
      serverTime: ctx.now(),
    };
  });

  app.put('/audience', { preHandler: ctx.auth, bodyLimit: BODY_LIMITS.audience }, async (req) => {
    const body = parse(audienceRequest, req.body, 'audience');
    await ctx.registry.setAudience(deviceOf(req).deviceId, body.audience);
    return { serverTime: ctx.now() };
  });

  app.post('/devices/revoke', { preHandler: ctx.auth }, async (req) => {
    const me = deviceOf(req);
    const body = parse(revokeRequest, req.body, 'retrait');
    const target = await ctx.registry.device(body.deviceId);
    if (!target || target.associationId !== me.associationId) throw notFound('Poste inconnu dans cette association.');
    const root = await ctx.registry.rootKeyOf(me.associationId);
    if (!root || !verifyEd25519(root, revokeMessage(me.associationId, body.deviceId), body.signature)) {
      throw forbidden("Retrait refusé : la signature n'est pas celle de la clé racine de l'association.");
    }
    await ctx.registry.revoke(body.deviceId, ctx.now());
    return { serverTime: ctx.now() };
  });
}
