/**
 * Entry of the core process: an Electron utilityProcess (plain Node, no `electron` import) forked by main/index.ts,
 * bundled to dist/main/core.cjs. Runs `createCore` + `dispatch` so SQL, Argon2id, PDF and OCR never block the window.
 * Talks to main over `process.parentPort` with the protocol of ./protocol.ts.
 */
import { createCore } from '../core/index';
import { dispatch } from '../core/dispatch';
import type { EventName, EventPayload } from '../../shared/contract';
import { serveCore, type PortLike } from './protocol';

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (e: { data: unknown }) => void): unknown;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) {
  process.stderr.write('[solidariciel] core.cjs must be started by Electron utilityProcess.fork\n');
  process.exit(2);
}

const port: PortLike = {
  postMessage: (m) => parentPort.postMessage(m),
  onMessage(listener) {
    const l = (e: { data: unknown }) => listener(e.data);
    parentPort.on('message', l);
    return () => void parentPort.off('message', l);
  },
};

void serveCore(port, (prefs, emitSpontaneous) => {
  const core = createCore({ prefs, backgroundSync: true, onLocked: (reason) => emitSpontaneous('session:locked', { reason }), onEvent: (event, payload) => emitSpontaneous(event, payload) });
  return {
    handle: (channel, payload, emit) =>
      dispatch(core.handlers, channel, payload, {
        emit: <E extends EventName>(event: E, p: EventPayload<E>) => emit(event, p),
      }),
    close: () => core.close(),
  };
}).then(() => process.exit(0));
