/**
 * How a channel is declared: a request schema and a response schema. Every channel of the app is listed once in
 * shared/contract/index.ts; the preload, the main-process handlers, the renderer's client, the browser host and the
 * CLI are all typed from that one map (STYLE.md "One channel map, both ends typed from it").
 */
import type { z } from 'zod';

export interface ChannelSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
}

/** Identity helper that keeps the literal types of a domain's channel map. */
export function channels<const T extends Record<string, ChannelSpec>>(map: T): T {
  return map;
}
