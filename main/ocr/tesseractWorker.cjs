/**
 * The OCR worker thread's entry (main/ocr/engine.ts passes it to tesseract.js as `workerPath`; bundled as
 * dist/main/ocr-worker.cjs by scripts/build-main.mjs, tesseract.js kept external). Tesseract and Leptonica print
 * through console.log / console.error ("Estimating resolution as 455", libpng warnings on a damaged image): the
 * WebAssembly core binds them when it loads, so they are silenced here first, and the CLI keeps its one line of
 * output. Errors still reach the engine as rejected jobs.
 */
'use strict';

for (const name of ['log', 'info', 'warn', 'error', 'debug']) console[name] = () => undefined;
require('tesseract.js/src/worker-script/node/index.js');
