/**
 * The two Electron IPC channel names the app uses. Shared by the preload and main/ipc (the preload may import only
 * `electron`, shared/ and its own folder, so the names live here).
 *
 * Design: ONE invoke channel carries the contract channel as its first argument (`invoke(INVOKE, channel, payload)`),
 * so there is exactly one `ipcMain.handle`, hence one place where the sender is checked and the channel is matched
 * against the contract's allow-list (STYLE.md "No handler can skip sender validation").
 */
export const IPC_INVOKE = 'solidariciel:invoke';
/** Main → renderer events: `(IPC_EVENT, eventName, payload)`; eventName is a key of the contract's `events`. */
export const IPC_EVENT = 'solidariciel:event';
