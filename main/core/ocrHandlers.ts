/**
 * Handlers of the text recognised in papers (shared/contract/ocr.ts, docs/ocr.md): their own map, merged into
 * buildHandlers.
 */
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { ocrChannels } from '../../shared/contract/ocr';
import { exportSearchable } from '../services/ocr/searchableExport';

type OcrHandlers = { [C in keyof typeof ocrChannels]: Handler<C> };

/** The OCR channels over the session `s()` returns (throws LOCKED when none). */
export function ocrHandlers(s: () => Session): OcrHandlers {
  return {
    'papers:ocr': async (r) => {
      const x = s();
      x.ctx.access.require('documents.read');
      if (r.wait) await x.ocr.runPending();
      return x.ocr.counts();
    },
    'papers:ocrStates': async (r) => {
      const x = s();
      const papers = await x.vault.list(r.personId);
      const states = await x.ocr.states(papers.map((p) => p.id));
      return { items: papers.map((p) => ({ documentId: p.id, state: states.get(p.id) ?? 'none' })) };
    },
    'papers:searchText': async (r) => ({ items: await s().textSearch.search(r.query, r.limit) }),
    'papers:exportSearchable': async (r) => exportSearchable(s().ctx, s().vault, r.id, r.path),
  };
}
