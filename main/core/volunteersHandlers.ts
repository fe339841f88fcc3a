/**
 * Handlers of volunteers, circles and the visit rota (shared/contract/volunteers.ts): their own map, merged into
 * buildHandlers. Services are built per call from the open session (they hold no state). docs/volunteers.md.
 */
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { volunteerChannels } from '../../shared/contract/volunteers';
import { VolunteersService } from '../services/volunteers/volunteersService';
import { CirclesService } from '../services/volunteers/circlesService';
import { VisitsService } from '../services/visits/visitsService';

type VolunteerHandlers = { [C in keyof typeof volunteerChannels]: Handler<C> };

/** The volunteers, circles and visits channels over the session `s()` returns (throws LOCKED when none). */
export function volunteersHandlers(s: () => Session): VolunteerHandlers {
  const volunteers = () => new VolunteersService(s().ctx);
  const circles = () => new CirclesService(s().ctx);
  const visits = () => new VisitsService(s().ctx);
  return {
    'skills:list': async () => ({ items: await volunteers().skills() }),
    'skills:save': async (r) => ({ id: await volunteers().saveSkill(r) }),
    'volunteers:list': async () => ({ items: await volunteers().list() }),
    'volunteers:get': async (r) => volunteers().get(r.personId),
    'volunteers:save': async (r) => {
      await volunteers().save(r);
      return { personId: r.personId };
    },
    'volunteers:addAbsence': async (r) => visits().addAbsence(r.personId, r.from, r.to),
    'volunteers:removeAbsence': async (r) => {
      await volunteers().removeAbsence(r.id);
      return { id: r.id };
    },
    'volunteers:find': async (r) => ({ items: await volunteers().find(r) }),
    'volunteers:skillsMap': async () => ({ items: await volunteers().skillsMap() }),
    'circles:list': async () => ({ items: await circles().list() }),
    'circles:create': async (r) => ({ id: await circles().create(r) }),
    'circles:addMember': async (r) => ({ id: await circles().addMember(r.circleId, r.personId, r.role) }),
    'circles:removeMember': async (r) => {
      await circles().removeMember(r.circleId, r.personId);
      return { id: r.circleId };
    },
    'circles:grantPending': async () => ({ granted: await circles().grantPending() }),
    'visits:rule': async (r) => visits().rule(r.personId),
    'visits:setRule': async (r) => visits().setRule(r),
    'visits:list': async (r) => ({ items: await visits().list(r.personId, r.from, r.to, r.zone) }),
    'visits:plan': async (r) => ({ ids: await visits().plan(r) }),
    'visits:move': async (r) => {
      await visits().move(r.id, r.at, r.zone);
      return { id: r.id };
    },
    'visits:cancel': async (r) => {
      await visits().cancel(r.id);
      return { id: r.id };
    },
    'visits:take': async (r) => ({ id: await visits().take(r.personId, r.at, r.zone, r.minutes) }),
    'visits:done': async (r) => {
      await visits().done(r.id, r.minutesSpent, r.note);
      return { id: r.id };
    },
    'visits:missed': async (r) => {
      await visits().missed(r.id, r.note);
      return { id: r.id };
    },
    'visits:gaps': async (r) => visits().gaps(r.personId, r.from, r.to, r.zone),
    'visits:proposals': async (r) => ({ items: await visits().proposals(r.personId, r.from, r.to, r.minutes) }),
    'visits:notices': async () => ({ items: await visits().notices() }),
  };
}
