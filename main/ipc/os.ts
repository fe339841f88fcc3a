/**
 * The `os:*` channels, answered in the main process with native dialogs (they need a window; the core never sees them).
 * Requests are parsed with the contract's zod schemas; responses are parsed too, like the core's dispatch does.
 */
import { osChannels } from '../../shared/contract/os';
import { type Envelope, type OsChannel, type ParsedRequestOf, type ResponseOf } from '../../shared/contract';
import { toErrorEnvelope, validationEnvelope } from '../core/dispatch';

/** Native dialogs, as the main process offers them (main/adapters/dialogs.ts). */
export interface Dialogs {
  chooseFolder(request: ParsedRequestOf<'os:chooseFolder'>): Promise<ResponseOf<'os:chooseFolder'>>;
  chooseSavePath(request: ParsedRequestOf<'os:chooseSavePath'>): Promise<ResponseOf<'os:chooseSavePath'>>;
}

export function isOsChannel(name: unknown): name is OsChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(osChannels, name);
}

/** Runs one `os:*` channel. Never throws. */
export async function handleOsChannel(dialogs: Dialogs, channel: OsChannel, payload: unknown): Promise<Envelope<unknown>> {
  const spec = osChannels[channel];
  const parsed = spec.request.safeParse(payload ?? {});
  if (!parsed.success) {
    return validationEnvelope(parsed.error);
  }
  try {
    const value =
      channel === 'os:chooseFolder'
        ? await dialogs.chooseFolder(parsed.data as ParsedRequestOf<'os:chooseFolder'>)
        : await dialogs.chooseSavePath(parsed.data as ParsedRequestOf<'os:chooseSavePath'>);
    return { ok: true, value: spec.response.parse(value) };
  } catch (error) {
    return toErrorEnvelope(error);
  }
}
