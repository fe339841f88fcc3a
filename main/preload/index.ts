/**
 * Preload of the main window (sandboxed: bundled to CommonJS by scripts/build-main.mjs as dist/main/preload.cjs).
 * contextBridge only: exposes `window.bridge` (shared/contract/bridge.ts). Imports `electron`, shared/ and this folder,
 * nothing else (checked by tests/unit/electron/layers.test.ts).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

const bridge = createBridge(ipcRenderer);
// Expose plain functions (contextBridge copies them; the page cannot reach ipcRenderer).
contextBridge.exposeInMainWorld('bridge', {
  invoke: (channel: string, payload: unknown) => bridge.invoke(channel, payload),
  on: (event: Parameters<typeof bridge.on>[0], listener: Parameters<typeof bridge.on>[1]) => bridge.on(event, listener),
});
