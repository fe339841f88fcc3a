/**
 * Pairing invitations: an administrator's device deposits the sealed keys and the new device's certified identity
 * under an id derived from the pairing code; the new device redeems them with the code's authentication key. The hub
 * keeps only SHA-256(authKey) (the verifier), lets 5 wrong keys through before burning the invite, and forgets
 * nothing it could use to open the payload. The payload itself is erased as soon as the invitation is used, burnt or
 * expired (here, and by the hub's sweep for the ones nobody asks for again).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { INVITE_MAX_ATTEMPTS, INVITE_TTL_MS, deviceCertMessage, inviteRequest, redeemRequest } from '../../shared/sync/protocol';
import { decodeB64, sha256hex, verifyEd25519 } from '../auth';
import type { HubContext } from '../context';
import { HubError, forbidden } from '../errors';
import { deviceOf, parse, storableText } from '../http';
import { BODY_LIMITS } from '../limits';
import type { InviteRow } from '../storage/registry';

type Outcome = { ok: true; invite: InviteRow & { payload: string } } | { ok: false; error: HubError };

const invalid = (message: string, status = 404) => new HubError(status, 'INVITE_INVALID', message);

export function inviteRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.post('/invites', { preHandler: ctx.auth, bodyLimit: BODY_LIMITS.invite }, async (req) => {
    const me = deviceOf(req);
    const body = parse(inviteRequest, req.body, 'invitation');
    storableText(body.device.name, 'invitation', 'device.name');
    const now = ctx.now();
    const expiresAt = now + INVITE_TTL_MS;
    await ctx.knex.transaction(async (trx) => {
      const root = await ctx.registry.rootKeyOf(me.associationId, trx);
      if (!root || !verifyEd25519(root, deviceCertMessage(me.associationId, body.device.deviceId, body.device.publicKey), body.device.cert)) {
        throw forbidden("Certificat du poste invité invalide : il n'est pas signé par la clé racine de l'association.");
      }
      if (await ctx.registry.device(body.device.deviceId, trx)) throw new HubError(409, 'BAD_REQUEST', 'Ce poste est déjà connu du hub : une invitation crée un nouveau poste.');
      // Invitation ids are the code's first 25 bits, shared by every association on the hub: an expired invitation
      // gives its id back (else ids would run out as the years' invitations pile up, and codes fail at random).
      const existing = await ctx.registry.invite(body.inviteId, trx, true);
      if (existing && now <= existing.expiresAt) throw new HubError(409, 'BAD_REQUEST', 'Une invitation porte déjà cet identifiant : créez un autre code.');
      if (existing) await ctx.registry.deleteInvite(trx, body.inviteId);
      await ctx.registry.insertDevice(trx, me.associationId, body.device, now, true);
      await ctx.registry.insertInvite(trx, { inviteId: body.inviteId, associationId: me.associationId, verifier: body.verifier, payload: body.payload, deviceId: body.device.deviceId, expiresAt }, now);
    });
    return { expiresAt, serverTime: ctx.now() };
  });

  app.post('/invites/redeem', { config: { public: true } }, async (req) => {
    const body = parse(redeemRequest, req.body, "utilisation d'invitation");
    const authKey = decodeB64(body.authKey) ?? Buffer.alloc(0);
    const now = ctx.now();
    const outcome = await ctx.knex.transaction(async (trx): Promise<Outcome> => {
      const invite = await ctx.registry.invite(body.inviteId, trx, true);
      if (!invite) return { ok: false, error: invalid("Code d'invitation inconnu : vérifiez-le ou demandez-en un nouveau.") };
      if (invite.usedAt !== null) return { ok: false, error: new HubError(410, 'INVITE_USED', "Ce code d'invitation a déjà servi : demandez-en un nouveau.") };
      const locked = invite.attempts >= INVITE_MAX_ATTEMPTS;
      // A dead invitation's payload is erased at once (the sweep would do it later): nothing left to open.
      if (locked || now > invite.expiresAt || invite.payload === null) {
        if (invite.payload !== null) await ctx.registry.erasePayload(trx, invite.inviteId);
        if (locked) return { ok: false, error: new HubError(410, 'INVITE_LOCKED', "Ce code d'invitation est bloqué après trop d'essais erronés : demandez-en un nouveau.") };
        return { ok: false, error: new HubError(410, 'INVITE_EXPIRED', "Ce code d'invitation a expiré (15 minutes) : demandez-en un nouveau.") };
      }
      const device = await ctx.registry.device(invite.deviceId, trx);
      if (!device || device.revokedAt !== null) return { ok: false, error: invalid('Cette invitation a été annulée.', 410) };
      const given = Buffer.from(sha256hex(authKey), 'utf8');
      if (!timingSafeEqual(given, Buffer.from(invite.verifier, 'utf8'))) {
        await ctx.registry.countAttempt(trx, invite.inviteId);
        const left = INVITE_MAX_ATTEMPTS - invite.attempts - 1;
        if (left <= 0) await ctx.registry.erasePayload(trx, invite.inviteId);
        const message = left > 0 ? `Code d'invitation erroné : encore ${left} essai(s) avant blocage.` : "Code d'invitation erroné : l'invitation est désormais bloquée, demandez un nouveau code.";
        return { ok: false, error: invalid(message, 403) };
      }
      await ctx.registry.redeem(trx, invite, now);
      return { ok: true, invite: { ...invite, payload: invite.payload } };
    });
    if (!outcome.ok) throw outcome.error;
    return { associationId: outcome.invite.associationId, deviceId: outcome.invite.deviceId, payload: outcome.invite.payload, serverTime: ctx.now() };
  });
}
