/**
 * Handlers of the scan folder's inbox « À classer » (shared/contract/inbox.ts, docs/scanning.md « Dossier de
 * numérisation »). The folder is this PC's (device preferences); its files may be anyone's papers, so every channel
 * needs an unlocked session and the right to add papers (`documents.add`); filing goes through the vault's own add
 * path (same checks as `vault:addDocument`), and an original is removed only after that add returned (the paper is
 * committed). While a session is open the folder is polled every `pollMs` and `inbox:changed` is sent when the list
 * changes.
 */
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { inboxChannels } from '../../shared/contract/inbox';
import type { EventName, EventPayload } from '../../shared/contract';
import type { Preferences } from './ports';
import { AppError } from '../../shared/domain/errors';
import { InboxFolder, MIME } from '../scan/inbox/folder';
import { throttleProgress } from './progress';

type InboxHandlers = { [C in keyof typeof inboxChannels]: Handler<C> };

export interface InboxDeps {
  prefs: Preferences;
  /** True while a session is open: the folder is polled only then. */
  active(): boolean;
  /** Spontaneous events (hosts with a window); absent: no background polling (CLI, tests poll through `inbox:list`). */
  emit?: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** Poll period (ms), default 2000. */
  pollMs?: number;
}

/** Previews are for the screen: 50 MiB at most. */
const MAX_PREVIEW_BYTES = 50 * 1024 * 1024;

/** The inbox channels over the session `s()` returns (throws LOCKED when none). */
export function inboxHandlers(s: () => Session, deps: InboxDeps): InboxHandlers {
  const folder = new InboxFolder(deps.prefs);
  const filing = new Set<string>();
  const owner = () => {
    const x = s();
    x.ctx.access.require('documents.add');
    return x;
  };
  const changed = () => deps.emit?.('inbox:changed', { count: folder.list().length });
  if (deps.emit) {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || !deps.active()) return;
      busy = true;
      folder
        .poll()
        .then((c) => c && changed())
        .catch(() => undefined)
        .finally(() => (busy = false));
    }, deps.pollMs ?? 2000);
    timer.unref?.();
  }
  return {
    'inbox:getFolder': async () => {
      owner();
      return { path: folder.folder() };
    },
    'inbox:setFolder': async (r) => {
      owner();
      const path = await folder.setFolder(r.path);
      await folder.poll();
      changed();
      return { path };
    },
    'inbox:list': async () => {
      owner();
      if (await folder.poll()) changed();
      return { folder: folder.folder(), items: folder.list() };
    },
    'inbox:preview': async (r) => {
      owner();
      const f = await folder.read(r.id, MAX_PREVIEW_BYTES);
      return { name: f.name, mime: MIME[f.kind], bytes: f.bytes };
    },
    'inbox:file': async (r, ctx) => {
      const o = owner();
      const ids = [...new Set(r.ids)];
      if (ids.some((i) => filing.has(i))) throw new AppError('ALREADY_EXISTS', 'Un de ces fichiers est déjà en cours de classement.');
      ids.forEach((i) => filing.add(i));
      try {
        const read = [];
        for (const i of ids) read.push(await folder.read(i));
        const progress = throttleProgress((stage, done, total) => ctx.emit('vault:progress', { operationId: r.operationId, stage, done, total }));
        const stored = await o.vault.add(r.personId, r.meta, read.map((f) => ({ name: f.name, bytes: f.bytes })), progress);
        // The paper is committed: only now do the originals leave the folder.
        for (const f of read) await folder.remove(f.name, f);
        changed();
        return stored;
      } finally {
        ids.forEach((i) => filing.delete(i));
      }
    },
    'inbox:discard': async (r) => {
      owner();
      if (filing.has(r.id)) throw new AppError('ALREADY_EXISTS', 'Ce fichier est en cours de classement.');
      await folder.discard(r.id);
      changed();
      return { id: r.id };
    },
  };
}
