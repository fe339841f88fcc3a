/** Channels of engagement: « Mon engagement », volunteers with nothing planned, hours given per year (docs/agenda.md). */
import { z } from 'zod';
import { channels } from './define';
import { IDLE_DAYS, idleVolunteer, myEngagement, volunteerHours, year } from '../domain/engagement';

export const engagementChannels = channels({
  'engagement:mine': { request: z.object({}).strict(), response: myEngagement },
  /** Volunteers with no visit planned in the next `days` days (coordination). */
  'engagement:idle': { request: z.object({ days: z.number().int().min(1).max(365).default(IDLE_DAYS) }), response: z.object({ items: z.array(idleVolunteer) }) },
  /** Hours given per volunteer in a calendar year, and the same as a CSV file (« valorisation du bénévolat »). */
  'engagement:hours': { request: z.object({ year }), response: z.object({ items: z.array(volunteerHours) }) },
  'engagement:hoursCsv': { request: z.object({ year }), response: z.object({ fileName: z.string(), csv: z.string() }) },
});
