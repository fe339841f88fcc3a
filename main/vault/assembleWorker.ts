/**
 * Entry of the worker thread that assembles one paper (`buildPdf`) for `assemblePdf` (assemble.ts). It is bundled as
 * dist/main/vault-worker.cjs (scripts/build-main.mjs) and loaded from source through tsx under the CLI and the tests.
 *
 * Nothing it prints reaches the terminal: pdf-lib and pdf.js write warnings with console.warn/console.log (« Trying to
 * parse invalid object… ») while reading damaged files; the person at the desk gets one French sentence instead.
 */
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../shared/domain/errors';
import type { AssembleMessage, AssembleRequest } from './assembleProtocol';
import { buildPdf } from './pdf';

for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) console[method] = () => undefined;

const port = parentPort;
if (!port) throw new Error('assembleWorker.ts must run in a worker thread');
const send = (message: AssembleMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.once('message', (request: AssembleRequest) => {
  void (async () => {
    try {
      const { pdf, pages } = await buildPdf(
        request.inputs,
        (done, total) => send({ type: 'progress', done, total }),
        (budget) => send({ type: 'budget', pages: budget.pages, decodedPixels: budget.decodedPixels }),
      );
      send({ type: 'done', pdf, pages }, [pdf.buffer as ArrayBuffer]);
    } catch (e) {
      const error = e instanceof AppError
        ? { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) }
        : { code: 'INTERNAL' as const, message: 'L’assemblage du document a échoué (erreur inattendue).' };
      send({ type: 'failed', error });
    }
  })();
});
send({ type: 'ready' });
