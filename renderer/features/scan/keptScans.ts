/**
 * The scan sessions a window keeps while the social worker is elsewhere (docs/scanning.md « Quitter la page »): one
 * per person, each a ScanSession (./scanSession.ts) with its state (./sessionModel.ts) held here rather than in a
 * component, so that leaving the person's page (to look something up, to open a paper) neither closes the session in
 * the core nor stops its events: pages the scanner still sends keep arriving. Back on that person's papers, the panel
 * reopens on the same pages (« Reprendre la numérisation (N pages) »), in the order and turns left.
 *
 * A session is kept only when it holds something (pages, or a job running); an empty one is closed when its panel
 * goes. Closing (« Fermer la numérisation ») and adding to the vault end it. Every lock, switch of user and unlock
 * forgets them all (`forgetKeptScans`, called by renderer/app/session.tsx): the core drops its sessions at lock, and
 * no thumbnail stays in the window. No DOM here: tested with a fake transport (tests/unit/renderer/keptScans.test.ts).
 */
import { ScanSession, type ScanTransport } from './scanSession';
import { EMPTY_SCAN, isScanning, scanReducer, type ScanAction, type ScanState } from './sessionModel';

/** One session's state outside React: `dispatch` runs the reducer and tells the subscribers. */
export class ScanStore {
  private state: ScanState = EMPTY_SCAN;
  private readonly listeners = new Set<() => void>();

  readonly getState = (): ScanState => this.state;

  readonly dispatch = (action: ScanAction): void => {
    const next = scanReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const l of [...this.listeners]) l();
  };

  /** Calls `listener` after each change; returns the unsubscription (useSyncExternalStore's shape). */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export interface KeptScan {
  personId: string;
  store: ScanStore;
  session: ScanSession;
}

/** What a person's papers card shows of a kept session: its pages and whether the scanner still sends some. */
export interface KeptSummary {
  pages: number;
  scanning: boolean;
}

export class KeptScans {
  private readonly kept = new Map<string, KeptScan>();
  private readonly listeners = new Set<() => void>();
  private readonly summaries = new Map<string, KeptSummary>();

  constructor(private readonly transport: ScanTransport) {}

  /** The session of `personId`: the kept one, or a new (not yet opened in the core) one, now kept. */
  take(personId: string): KeptScan {
    const found = this.kept.get(personId);
    if (found) return found;
    const store = new ScanStore();
    const scan: KeptScan = { personId, store, session: new ScanSession(this.transport, store.dispatch) };
    store.subscribe(() => this.changed());
    this.retain(scan);
    return scan;
  }

  /** Keeps `scan` again (a panel shown anew after its release: React mounts effects twice in development). */
  retain(scan: KeptScan): void {
    if (this.kept.get(scan.personId) === scan) return;
    this.kept.set(scan.personId, scan);
    this.changed();
  }

  /**
   * Its panel went away (the person's page was left): kept when it holds pages or a job is running, else closed in
   * the core and forgotten. A session closed or committed meanwhile is simply forgotten.
   */
  release(scan: KeptScan): void {
    if (this.kept.get(scan.personId) !== scan) return;
    const state = scan.store.getState();
    if (scan.session.open && (state.pages.length > 0 || isScanning(state))) return;
    this.kept.delete(scan.personId);
    void scan.session.close();
    this.changed();
  }

  /** The kept session of `personId` as its card shows it, or null (none, or nothing in it). */
  summary(personId: string): KeptSummary | null {
    return this.summaries.get(personId) ?? null;
  }

  /** Calls `listener` when any kept session changes, appears or goes. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** At lock, switch of user and unlock: every session forgotten in the window (the core dropped them already). */
  forget(): void {
    for (const scan of this.kept.values()) {
      scan.session.drop();
      scan.store.dispatch({ type: 'reset' });
    }
    this.kept.clear();
    this.changed();
  }

  private changed(): void {
    // Summaries are recomputed here so that `summary()` returns the same object while nothing changed.
    for (const [personId, scan] of this.kept) {
      const state = scan.store.getState();
      const before = this.summaries.get(personId);
      const pages = state.pages.length;
      const scanning = isScanning(state);
      if (!scan.session.open || (pages === 0 && !scanning)) this.summaries.delete(personId);
      else if (!before || before.pages !== pages || before.scanning !== scanning) this.summaries.set(personId, { pages, scanning });
    }
    for (const personId of [...this.summaries.keys()]) if (!this.kept.has(personId)) this.summaries.delete(personId);
    for (const l of [...this.listeners]) l();
  }
}
