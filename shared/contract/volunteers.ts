/**
 * Channels for volunteers (bénévoles), support circles (cercles) and the visit rota (planning des visites),
 * docs/volunteers.md. Times are read in the request's zone (Europe/Paris by default) unless they carry an offset.
 */
import { z } from 'zod';
import { channels } from './define';
import { id } from '../domain/common';
import {
  absenceInput,
  circle,
  circleInput,
  CIRCLE_ROLES,
  gap,
  localDateTime,
  proposal,
  skill,
  skillInput,
  skillsMapEntry,
  visit,
  visitNotice,
  visitPlanInput,
  visitRule,
  visitRuleInput,
  volunteer,
  volunteerInput,
  zone,
} from '../domain/volunteers';

const window = z.object({ personId: id, from: localDateTime, to: localDateTime, zone });

export const volunteerChannels = channels({
  'skills:list': { request: z.object({}).strict(), response: z.object({ items: z.array(skill) }) },
  'skills:save': { request: skillInput, response: z.object({ id }) },
  'volunteers:list': { request: z.object({}).strict(), response: z.object({ items: z.array(volunteer) }) },
  'volunteers:get': { request: z.object({ personId: id }), response: volunteer.nullable() },
  /** Creates or replaces a volunteer's profile (skills, weekly availability, area, commitment). */
  'volunteers:save': { request: volunteerInput, response: z.object({ personId: id }) },
  'volunteers:addAbsence': { request: absenceInput, response: z.object({ id, cancelledVisits: z.number().int() }) },
  'volunteers:removeAbsence': { request: z.object({ id }), response: z.object({ id }) },
  /** Volunteers holding `skill`, available at `at` (availability and absences), from `area`. */
  'volunteers:find': {
    request: z.object({ skill: z.string().trim().min(1).max(100).optional(), at: localDateTime.optional(), area: z.string().trim().min(1).max(100).optional(), zone }),
    response: z.object({ items: z.array(volunteer) }),
  },
  'volunteers:skillsMap': { request: z.object({}).strict(), response: z.object({ items: z.array(skillsMapEntry) }) },
  'circles:list': { request: z.object({}).strict(), response: z.object({ items: z.array(circle) }) },
  'circles:create': { request: circleInput, response: z.object({ id }) },
  'circles:addMember': { request: z.object({ circleId: id, personId: id, role: z.enum(CIRCLE_ROLES).default('volunteer') }), response: z.object({ id }) },
  'circles:removeMember': { request: z.object({ circleId: id, personId: id }), response: z.object({ id }) },
  /** Administrators (root key): every circle member's account joins its circle's group. */
  'circles:grantPending': { request: z.object({}).strict(), response: z.object({ granted: z.number().int() }) },
  'visits:rule': { request: z.object({ personId: id }), response: visitRule },
  'visits:setRule': { request: visitRuleInput, response: visitRule },
  'visits:list': { request: window, response: z.object({ items: z.array(visit) }) },
  /** Plans one visit or a series (weekly, every N weeks, until a date): the ids made, in order. */
  'visits:plan': { request: visitPlanInput, response: z.object({ ids: z.array(id) }) },
  /** Moves one visit (an occurrence of a series keeps its series and remembers where it was). */
  'visits:move': { request: z.object({ id, at: localDateTime, zone }), response: z.object({ id }) },
  'visits:cancel': { request: z.object({ id }), response: z.object({ id }) },
  /** A volunteer takes a visit without volunteer, or a new one at `at` for a person (`visits.write`). */
  'visits:take': { request: z.object({ personId: id, at: localDateTime, zone, minutes: z.number().int().min(5).max(1440).default(60) }), response: z.object({ id }) },
  'visits:done': {
    request: z.object({ id, minutesSpent: z.number().int().min(0).max(1440).optional(), note: z.string().trim().max(2000).optional() }),
    response: z.object({ id }),
  },
  'visits:missed': { request: z.object({ id, note: z.string().trim().max(2000).optional() }), response: z.object({ id }) },
  'visits:gaps': { request: window, response: z.object({ maxGapHours: z.number().int(), items: z.array(gap) }) },
  'visits:proposals': {
    request: z.object({ personId: id, from: z.string().min(1).max(40), to: z.string().min(1).max(40), minutes: z.number().int().min(5).max(1440).default(60) }),
    response: z.object({ items: z.array(proposal) }),
  },
  /** Gaps within 72 hours in the circles the current user coordinates. */
  'visits:notices': { request: z.object({}).strict(), response: z.object({ items: z.array(visitNotice) }) },
});
