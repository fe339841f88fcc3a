/**
 * Wires `handleInvoke` to Electron: a single `ipcMain.handle(IPC_INVOKE)` (see main/preload/ipcNames.ts for why one).
 * Each call checks `event.senderFrame.url` (through `handleInvoke` → `isTrustedSender`) before anything else.
 * Receives `ipcMain` from main/index.ts (types only from `electron`), so tests register it on a fake.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../preload/ipcNames';
import { handleInvoke, type InvokeDeps } from './invoke';

/** Registers the handler; returns a function that removes it. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, deps: InvokeDeps): () => void {
  ipcMain.handle(IPC_INVOKE, (event: IpcMainInvokeEvent, channel: unknown, payload: unknown) => {
    let senderUrl: string | undefined;
    try {
      senderUrl = event.senderFrame?.url; // throws/undefined when the frame was destroyed or navigated
    } catch {
      senderUrl = undefined;
    }
    const sender = event.sender;
    return handleInvoke(deps, senderUrl, channel, payload, (name, p) => {
      if (!sender.isDestroyed()) sender.send(IPC_EVENT, name, p);
    });
  });
  return () => ipcMain.removeHandler(IPC_INVOKE);
}
