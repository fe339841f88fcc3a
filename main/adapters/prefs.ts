/**
 * Non-secret preferences (recent association folders, language, window size) in electron-store
 * (`<userData>/preferences.json`). Never secrets or personal data: keys and wrapped keys live in the association's
 * keyring, never here. Main is the single writer; the core process works on a mirrored snapshot
 * (main/corehost/protocol.ts `MirroredPreferences`) and sends its changes back.
 */
import Store from 'electron-store';
import type { PrefsStore } from '../corehost/spawn';

export function createElectronStorePrefs(): PrefsStore {
  const store = new Store<Record<string, unknown>>({ name: 'preferences', clearInvalidConfig: true });
  return {
    snapshot: () => ({ ...store.store }),
    set(key, value) {
      if (value === undefined) store.delete(key);
      else store.set(key, value);
    },
  };
}
