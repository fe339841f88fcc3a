/**
 * Push and pull of envelopes. The hub reads only the routing header (it never decrypts nor checks envelope
 * signatures: the devices do); it checks that the header names the pushing device and its association, refuses an
 * HLC more than MAX_HLC_AHEAD_MS ahead of its clock (the whole push, nothing stored), and numbers new envelopes.
 */
import type { FastifyInstance } from 'fastify';
import { MAX_HLC_AHEAD_MS, envelopeHeader, pullQuery, pushRequest } from '../../shared/sync/protocol';
import { authenticate, decodeB64 } from '../auth';
import type { HubContext } from '../context';
import { HubError, forbidden } from '../errors';
import { deviceOf, parse, storableText } from '../http';
import { BODY_LIMITS } from '../limits';
import type { IncomingEnvelope } from '../storage/changeLog';

/** Ciphertext served per pull page, at most (one bigger envelope still goes out alone). */
export const PULL_PAGE_BYTES = 4 * 1024 * 1024;
const MAX_INT32 = 2 ** 31 - 1;

export function syncRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.post('/push', { bodyLimit: BODY_LIMITS.push }, async (req) => {
    const now = ctx.now();
    const me = await ctx.signer(req);
    const body = parse(pushRequest, req.body, 'envoi');
    const items: IncomingEnvelope[] = [];
    const future: number[] = [];
    body.envelopes.forEach((env, i) => {
      let json: unknown;
      try {
        json = JSON.parse(env.header);
      } catch {
        throw new HubError(400, 'BAD_REQUEST', `Requête invalide (envoi) : champ « envelopes.${i}.header » — JSON illisible.`);
      }
      const h = parse(envelopeHeader, json, 'envoi', `envelopes.${i}.header`);
      if (h.associationId !== me.associationId) throw forbidden(`L'enveloppe n° ${i} (envelopes.${i}.header.associationId) vise une autre association que celle de ce poste.`);
      if (h.deviceId !== me.deviceId) throw forbidden(`L'enveloppe n° ${i} (envelopes.${i}.header.deviceId) est attribuée à un autre poste.`);
      // Stored in a PostgreSQL integer and text column: out of range or with a NUL, the insert would fail (500).
      if (h.keyEpoch > MAX_INT32) throw new HubError(400, 'BAD_REQUEST', `Requête invalide (envoi) : champ « envelopes.${i}.header.keyEpoch » — trop grand.`);
      storableText(h.scope, 'envoi', `envelopes.${i}.header.scope`);
      const ciphertext = decodeB64(env.ciphertext);
      if (!ciphertext) throw new HubError(400, 'BAD_REQUEST', `Requête invalide (envoi) : champ « envelopes.${i}.ciphertext » — base64url non canonique.`);
      if (Number(h.hlc.slice(0, 13)) > now + MAX_HLC_AHEAD_MS) future.push(h.deviceSeq);
      items.push({ deviceSeq: h.deviceSeq, scope: h.scope, audience: h.audience, keyEpoch: h.keyEpoch, hlc: h.hlc, header: env.header, ciphertext, signature: env.signature });
    });
    if (future.length > 0) {
      throw new HubError(422, 'HLC_IN_FUTURE', `Horodatage trop loin dans le futur (plus de 24 h d'avance sur le hub) : enveloppe(s) deviceSeq ${future.slice(0, 10).join(', ')}. Rien n'a été enregistré.`);
    }
    const accepted = await ctx.changeLog.push(me.associationId, me.deviceId, items, now, !me.checked);
    if (accepted === 'inactive') {
      await authenticate(req, ctx.registry, now); // says why: revoked (403) or unknown / invited (401)
      throw new HubError(409, 'BAD_REQUEST', 'Conflit avec une écriture simultanée : réessayez.');
    }
    return { accepted, serverTime: ctx.now() };
  });

  app.get('/pull', { preHandler: ctx.authWithHead }, async (req) => {
    const me = deviceOf(req);
    const q = parse(pullQuery, req.query, 'lecture');
    const page = await ctx.changeLog.pull(me.associationId, q.after, q.limit, me.audience, PULL_PAGE_BYTES, me.headSeq);
    return {
      envelopes: page.envelopes.map((e) => ({ header: e.header, ciphertext: e.ciphertext.toString('base64url'), signature: e.signature, serverSeq: e.serverSeq })),
      next: page.next,
      head: page.head,
      more: page.more,
      serverTime: ctx.now(),
    };
  });
}
