/**
 * Handlers of the MRZ reading channels (shared/contract/mrz.ts): their own map, merged into buildHandlers. Files
 * sent by the window, a stored paper, or the pages of a scan session read where they are held (main/scan/session.ts).
 * The OCR engine is passed in (the real one by default, a fake in tests); nothing read is kept (docs/mrz.md).
 */
import type { Handler } from './dispatch';
import type { Session } from './session';
import { MRZ_SCAN_PAGES, type mrzChannels } from '../../shared/contract/mrz';
import { MrzService, type RecognizeMrz } from '../services/papers/mrzService';
import type { ScanSessions } from '../scan/session';
import { recognizePage } from '../ocr/engine';

type MrzHandlers = { [C in keyof typeof mrzChannels]: Handler<C> };

/** The MRZ channels over the session `s()` returns (throws LOCKED when none), reading with `ocr`. */
export function mrzHandlers(s: () => Session, scans: ScanSessions, ocr: RecognizeMrz = recognizePage): MrzHandlers {
  const service = (x: Session) => new MrzService(x.ctx, x.vault, x.people, ocr);
  return {
    // The contract's refinement guarantees either documentId, or personId with files.
    'papers:readMrz': async (r) => (r.documentId ? service(s()).readDocument(r.documentId) : service(s()).readFiles(r.personId ?? '', r.files ?? [])),
    // A scan session belongs to the unlocked session that opened it, and needs the right to add papers.
    'scan:readMrz': async (r) => {
      const x = s();
      x.ctx.access.require('documents.add');
      const images = await scans.images(r.sessionId, x, r.pages, MRZ_SCAN_PAGES);
      return service(x).readFiles(r.personId, images.map((bytes) => ({ bytes })));
    },
  };
}
