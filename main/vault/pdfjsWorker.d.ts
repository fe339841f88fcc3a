/** pdf.js's worker code (pdfjs-dist ships no types for it): only its presence on globalThis matters (pdfPassword.ts). */
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
