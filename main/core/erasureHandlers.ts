/**
 * Handlers of a person's data handed over, erasure and retention (shared/contract/erasure.ts): their own map, merged
 * into buildHandlers (STYLE.md "give each domain its own handler map"). Services are built per call from the open
 * session (they hold no state).
 */
import { join } from 'node:path';
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { erasureChannels } from '../../shared/contract/erasure';
import { VAULT_DIR } from '../services/association/associationStore';
import { ErasureService } from '../services/erasure/erasureService';
import { PortabilityService } from '../services/portability/portabilityService';
import { RetentionService } from '../services/retention/retentionService';

type ErasureHandlers = { [C in keyof typeof erasureChannels]: Handler<C> };

/** The erasure, portability and retention channels over the session `s()` returns (throws LOCKED when none). */
export function erasureHandlers(s: () => Session): ErasureHandlers {
  const erasure = () => new ErasureService(s().ctx, join(s().association.dir, VAULT_DIR));
  const portability = () => {
    const x = s();
    return new PortabilityService({ ctx: x.ctx, associationName: x.info().associationName, vaultDir: join(x.association.dir, VAULT_DIR), people: x.people, notes: x.notes, consents: x.consents, tasks: x.tasks, vault: x.vault, access: x.access });
  };
  const retention = () => new RetentionService(s().ctx);
  return {
    'people:erase': async (r) => erasure().erase(r.id, r.confirmName),
    'people:legalHolds': async (r) => ({ items: await erasure().holds(r.id) }),
    'people:exportData': async (r) => portability().export(r.id),
    'people:importData': async (r) => portability().import(r.zip),
    'retention:rules': async () => retention().rules(),
    'retention:saveRules': async (r) => retention().save(r),
    'retention:review': async () => retention().review(),
    'retention:markReviewed': async () => retention().markReviewed(),
    'retention:notice': async () => retention().notice(),
  };
}
