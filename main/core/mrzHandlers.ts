/**
 * Handler of the MRZ reading channel (shared/contract/mrz.ts): its own map, merged into buildHandlers. The OCR
 * engine is passed in (the real one by default, a fake in tests); nothing read is kept (docs/mrz.md).
 */
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { mrzChannels } from '../../shared/contract/mrz';
import { MrzService, type RecognizeMrz } from '../services/papers/mrzService';
import { recognizePage } from '../ocr/engine';

type MrzHandlers = { [C in keyof typeof mrzChannels]: Handler<C> };

/** The MRZ channel over the session `s()` returns (throws LOCKED when none), reading with `ocr`. */
export function mrzHandlers(s: () => Session, ocr: RecognizeMrz = recognizePage): MrzHandlers {
  const service = () => {
    const x = s();
    return new MrzService(x.ctx, x.vault, x.people, ocr);
  };
  return {
    // The contract's refinement guarantees either documentId, or personId with files.
    'papers:readMrz': async (r) => (r.documentId ? service().readDocument(r.documentId) : service().readFiles(r.personId ?? '', r.files ?? [])),
  };
}
