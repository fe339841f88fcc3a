/**
 * The single entry point from any host (Electron IPC, the browser host, tests) into the core services:
 * unknown channel → VALIDATION; request parsed with the contract's zod schema → VALIDATION naming the field in French
 * (with `fields` for the form, shared/domain/validation.ts);
 * handler errors become `{ ok: false, error: { code, message } }` (AppError keeps its code, anything else is
 * INTERNAL with a generic French message and no personal data). Responses are parsed too, so nothing outside the
 * contract's shape (extra fields) ever leaves the core.
 */
import type { ZodError } from 'zod';
import { coreChannels, type CoreChannel, type Envelope, type EventName, type EventPayload, type ParsedRequestOf, type ResponseOf } from '../../shared/contract';
import { AppError } from '../../shared/domain/errors';
import { describeIssues } from '../../shared/domain/validation';

/** What a handler may do besides returning: push events (progress) to the window that asked. */
export interface HandlerContext {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export type Handler<C extends CoreChannel> = (request: ParsedRequestOf<C>, ctx: HandlerContext) => Promise<ResponseOf<C>>;
export type Handlers = { [C in CoreChannel]: Handler<C> };

/** A silent context for callers that do not listen to events (CLI without progress, tests). */
export const noEvents: HandlerContext = { emit: () => undefined };

/**
 * A refused request as an error envelope: one French sentence naming the field as the forms label it, and every refused
 * field for the form to show next to it (shared/domain/validation.ts). Never the channel name nor a zod path in the text.
 */
export function validationEnvelope(error: ZodError): Envelope<never> {
  const { message, fields } = describeIssues(error);
  return { ok: false, error: { code: 'VALIDATION', message, fields } };
}

function isCoreChannel(name: unknown): name is CoreChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(coreChannels, name);
}

/** Converts any thrown value into an error envelope. Unexpected errors are reported to `onUnexpected` (stderr by default). */
export function toErrorEnvelope(error: unknown, onUnexpected: (e: unknown) => void = defaultReport): Envelope<never> {
  if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message } };
  onUnexpected(error);
  return { ok: false, error: { code: 'INTERNAL', message: 'Erreur interne inattendue. Réessayez ; si elle persiste, contactez votre administrateur.' } };
}

function defaultReport(e: unknown): void {
  // Only the error's kind and stack: messages from drivers may quote values (personal data).
  const err = e instanceof Error ? `${e.name}\n${(e.stack ?? '').split('\n').slice(1, 6).join('\n')}` : typeof e;
  process.stderr.write(`[solidariciel] unexpected error: ${err}\n`);
}

/**
 * Runs `channel` with `payload` (untrusted) against `handlers`.
 * Never throws: every outcome is an envelope. `onUnexpected` receives errors that are not AppErrors (default: their
 * kind and stack on stderr; the CLI passes its own so that its stderr stays one French sentence).
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  payload: unknown,
  ctx: HandlerContext = noEvents,
  onUnexpected: (e: unknown) => void = defaultReport,
): Promise<Envelope<unknown>> {
  if (!isCoreChannel(channel)) {
    return { ok: false, error: { code: 'VALIDATION', message: `Canal inconnu : ${String(channel).slice(0, 80)}` } };
  }
  const spec = coreChannels[channel];
  const parsed = spec.request.safeParse(payload ?? {});
  if (!parsed.success) {
    return validationEnvelope(parsed.error);
  }
  try {
    const handler = handlers[channel] as (req: unknown, ctx: HandlerContext) => Promise<unknown>;
    const value = await handler(parsed.data, ctx);
    return { ok: true, value: spec.response.parse(value) };
  } catch (error) {
    return toErrorEnvelope(error, onUnexpected);
  }
}
