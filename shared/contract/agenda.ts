/** Channels of the agenda and of its iCalendar export (docs/agenda.md). */
import { z } from 'zod';
import { channels } from './define';
import { id } from '../domain/common';
import { agendaEvent, dayRange, eventInput, localDateTime, occurrence } from '../domain/agenda';

export const agendaChannels = channels({
  /** Occurrences of the local days `from`..`to` (Europe/Paris); `mine`: « Mon agenda », what involves the user. */
  'agenda:list': {
    request: dayRange.and(z.object({ mine: z.boolean().default(false) })),
    response: z.object({ items: z.array(occurrence) }),
  },
  'agenda:get': { request: z.object({ id }), response: agendaEvent },
  'agenda:create': { request: z.object({ event: eventInput }), response: z.object({ id }) },
  'agenda:update': { request: z.object({ id, event: eventInput }), response: z.object({ id }) },
  'agenda:remove': { request: z.object({ id }), response: z.object({ id }) },
  /** Moves one occurrence (named by its original local start) to `start`, with a new duration or the series'. */
  'agenda:moveOccurrence': {
    request: z.object({ id, occurrence: localDateTime, start: localDateTime, minutes: z.number().int().min(1).max(7 * 24 * 60).nullable().default(null) }),
    response: z.object({ id }),
  },
  'agenda:cancelOccurrence': { request: z.object({ id, occurrence: localDateTime }), response: z.object({ id }) },
  /** The iCalendar file (RFC 5545) of « Mon agenda », or of a support circle when `circleId` is given. */
  'agenda:exportIcs': {
    request: z.object({ circleId: id.optional() }).strict(),
    response: z.object({ fileName: z.string(), ics: z.string(), events: z.number().int().nonnegative() }),
  },
});
