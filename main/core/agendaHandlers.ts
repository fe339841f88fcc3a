/**
 * Handlers of the agenda (shared/contract/agenda.ts): their own map, merged into buildHandlers (STYLE.md "give each
 * domain its own handler map"). Services are built per call from the open session (they hold no state).
 */
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { agendaChannels } from '../../shared/contract/agenda';
import { AgendaService } from '../services/agenda/agendaService';
import { AgendaExport, type VisitSource } from '../services/agenda/agendaExport';
import type { ServiceContext } from '../services/context';
import { VisitOccurrences } from '../services/agenda/visitOccurrences';

type AgendaHandlers = { [C in keyof typeof agendaChannels]: Handler<C> };

/** The visit rota as the agenda reads it. */
export function visitSource(ctx: ServiceContext): VisitSource | null {
  return new VisitOccurrences(ctx);
}

/** The agenda channels over the session `s()` returns (throws LOCKED when none). */
export function agendaHandlers(s: () => Session): AgendaHandlers {
  const agenda = () => new AgendaService(s().ctx);
  const exporter = () => new AgendaExport(s().ctx, agenda(), visitSource(s().ctx));
  return {
    'agenda:list': async (r) => ({ items: await agenda().occurrences(r.from, r.to, r.mine) }),
    'agenda:get': async (r) => agenda().get(r.id),
    'agenda:create': async (r) => ({ id: await agenda().create(r.event) }),
    'agenda:update': async (r) => {
      await agenda().update(r.id, r.event);
      return { id: r.id };
    },
    'agenda:remove': async (r) => {
      await agenda().remove(r.id);
      return { id: r.id };
    },
    'agenda:moveOccurrence': async (r) => {
      await agenda().changeOccurrence(r.id, r.occurrence, { cancelled: false, start: r.start, minutes: r.minutes });
      return { id: r.id };
    },
    'agenda:cancelOccurrence': async (r) => {
      await agenda().changeOccurrence(r.id, r.occurrence, { cancelled: true });
      return { id: r.id };
    },
    'agenda:exportIcs': async (r) => (r.circleId ? exporter().circle(r.circleId) : exporter().mine()),
  };
}
