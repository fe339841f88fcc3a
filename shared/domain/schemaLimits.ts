/**
 * Limits a form can announce before anything is typed, read from the contract's zod schemas so that the form and the
 * core never disagree (e.g. a name field's `maxLength` = the schema's `.max(200)`).
 */
import type { z } from 'zod';

interface Inspectable {
  maxLength?: number | null;
  def?: { type?: string; innerType?: unknown; in?: unknown; schema?: unknown };
}

/** The maximum length of a (possibly optional, defaulted, transformed) string schema, or undefined when it has none. */
export function maxLengthOf(schema: z.ZodType | undefined): number | undefined {
  let s = schema as Inspectable | undefined;
  for (let depth = 0; s && depth < 10; depth++) {
    if (typeof s.maxLength === 'number') return s.maxLength;
    const def = s.def;
    s = (def?.innerType ?? def?.in ?? def?.schema) as Inspectable | undefined;
  }
  return undefined;
}

/** `maxLengthOf` for each field of an object schema: `{ lastName: 200, … }` (fields without a limit left out). */
export function maxLengths(shape: Record<string, z.ZodType>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const max = maxLengthOf(schema);
    if (max !== undefined) out[key] = max;
  }
  return out;
}
