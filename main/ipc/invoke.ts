/**
 * The one IPC entry point, as a pure function: sender check first, then channel allow-list, then routing
 * (`os:*` → native dialogs in main, everything else → the core process). Never throws; every outcome is an envelope.
 */
import { isChannel, events, type Envelope } from '../../shared/contract';
import { chosenPathField } from '../../shared/contract/writes';
import { isTrustedSender } from '../windows/options';
import { handleOsChannel, isOsChannel, type Dialogs } from './os';
import type { SavePathGrants } from './grants';
import type { EventListener, RequestOptions } from '../corehost/protocol';

export interface InvokeDeps {
  dialogs: Dialogs;
  /** Save paths chosen in the dialog; `vault:exportDocument` and `db:rawCopy` may only write to one of them. */
  grants: SavePathGrants;
  core: { request(channel: string, payload: unknown, options?: RequestOptions): Promise<Envelope<unknown>> };
}

export const EXPORT_NOT_CHOSEN: Envelope<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: "Export refusé : choisissez l'emplacement de la copie dans la boîte de dialogue d'enregistrement." },
};

export const UNTRUSTED_SENDER: Envelope<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'Appel refusé : il ne vient pas de la fenêtre de Solidariciel.' },
};

/**
 * @param senderUrl `event.senderFrame?.url` (undefined when the frame is gone).
 * @param emit forwards the core's events for this request to the window that asked (already filtered by name).
 */
export async function handleInvoke(
  deps: InvokeDeps,
  senderUrl: string | undefined,
  channel: unknown,
  payload: unknown,
  emit: EventListener,
): Promise<Envelope<unknown>> {
  try {
    if (!isTrustedSender(senderUrl)) return UNTRUSTED_SENDER;
    if (!isChannel(channel)) {
      return { ok: false, error: { code: 'VALIDATION', message: `Canal inconnu : ${String(channel).slice(0, 80)}` } };
    }
    if (isOsChannel(channel)) {
      const envelope = await handleOsChannel(deps.dialogs, channel, payload);
      if (channel === 'os:chooseSavePath' && envelope.ok) {
        const chosen = (envelope.value as { path: string | null }).path;
        if (chosen) deps.grants.grant(chosen);
      }
      return envelope;
    }
    const pathField = chosenPathField(channel);
    if (pathField && !deps.grants.consume((payload as Record<string, unknown> | null)?.[pathField])) return EXPORT_NOT_CHOSEN;
    return await deps.core.request(channel, payload, { onEvent: eventFilter(emit) });
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: 'Erreur interne inattendue.' } };
  }
}

/** Keeps only events of the contract whose payload matches its schema. */
export function eventFilter(emit: EventListener): EventListener {
  return (name, payload) => {
    if (!Object.prototype.hasOwnProperty.call(events, name)) return;
    const parsed = events[name as keyof typeof events].safeParse(payload);
    if (parsed.success) emit(name, parsed.data);
  };
}
