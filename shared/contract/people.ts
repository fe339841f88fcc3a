/** Channels for people (personnes) and households (foyers). */
import { z } from 'zod';
import { channels } from './define';
import { person, personInput, personSummary, household } from '../domain/person';
import { id } from '../domain/common';

export const peopleChannels = channels({
  'people:search': {
    request: z.object({
      query: z.string().max(200).default(''),
      limit: z.number().int().min(1).max(500).default(50),
      offset: z.number().int().min(0).default(0),
      includeArchived: z.boolean().default(false),
    }),
    /**
     * `total`: matches counted up to 1000 (SEARCH_TOTAL_CAP, main/db/repositories/people.ts); `totalCapped` true means
     * more than `total` people match (show « 1000+ »). Absent or false: `total` is exact.
     */
    response: z.object({ items: z.array(personSummary), total: z.number().int().nonnegative(), totalCapped: z.boolean().optional() }),
  },
  'people:get': {
    request: z.object({ id }),
    response: z.object({ person, household: household.nullable() }),
  },
  'people:findDuplicates': {
    request: z.object({ person: personInput, excludeId: id.optional() }),
    response: z.object({ items: z.array(personSummary) }),
  },
  'people:create': { request: z.object({ person: personInput }), response: z.object({ id }) },
  'people:update': { request: z.object({ id, person: personInput }), response: z.object({ id }) },
  'people:archive': { request: z.object({ id, archived: z.boolean() }), response: z.object({ id }) },
  'households:list': { request: z.object({}).strict(), response: z.object({ items: z.array(household) }) },
  'households:create': {
    request: z.object({ name: z.string().trim().min(1).max(200), memberIds: z.array(id).max(50).default([]) }),
    response: z.object({ id }),
  },
});
