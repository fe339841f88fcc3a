/**
 * The state of one scan session in the window (docs/scanning.md « La séance de numérisation »), as a pure reducer:
 * the pages in the order they will have in the paper, each with its rotation (quarter turns clockwise, applied by the
 * core at `scan:commit`), and the scanner's job as last reported by `scan:job`. The page images themselves stay in
 * the core's memory (`scan:pageImage`); the window only holds their thumbnails.
 */
import type { ScanPage } from '../../../shared/domain/scan';

export type Rotation = 0 | 90 | 180 | 270;

export interface SessionPage extends ScanPage {
  rotation: Rotation;
}

export type JobCode = 'busy' | 'feederEmpty' | 'jam' | 'unreachable' | 'coverOpen' | 'other';

export interface JobStatus {
  jobId: string;
  state: 'scanning' | 'done' | 'cancelled' | 'failed';
  /** Pages received from this job so far. */
  pages: number;
  /** The core's French sentence saying what to do (on failure). */
  message?: string | undefined;
  code?: JobCode | undefined;
}

export interface ScanState {
  pages: SessionPage[];
  /** The current job; `jobId` is '' between « Numériser » and the core's answer. */
  job: JobStatus | null;
  /** Jobs the person has moved past (a new one started): their late events are ignored. */
  retired: string[];
}

export const EMPTY_SCAN: ScanState = { pages: [], job: null, retired: [] };

export type ScanAction =
  /** A page arrived (`scan:page`, or the answer of `scan:addPage`): appended, once. */
  | { type: 'page'; page: ScanPage }
  /** « Numériser » was pressed: scanning at once (the job's id follows with `started`). */
  | { type: 'starting' }
  /** The core answered `scan:start` with this job id. */
  | { type: 'started'; jobId: string }
  /** `scan:job` (or a failure to start: `jobId` ''). */
  | { type: 'job'; job: JobStatus }
  /** Moves a page by `by` places (−1: one to the left), clamped to the ends. */
  | { type: 'move'; pageId: string; by: number }
  /** Moves a page to position `to` (0-based, clamped): drag and drop. */
  | { type: 'moveTo'; pageId: string; to: number }
  /** Turns a page a quarter clockwise (`quarter: 1`) or anticlockwise (`quarter: -1`). */
  | { type: 'rotate'; pageId: string; quarter: 1 | -1 }
  | { type: 'remove'; pageId: string }
  /** Forgets everything (the session was committed or closed). */
  | { type: 'reset' };

function moveTo(pages: SessionPage[], pageId: string, to: number): SessionPage[] {
  const from = pages.findIndex((p) => p.pageId === pageId);
  if (from < 0) return pages;
  const target = Math.max(0, Math.min(pages.length - 1, to));
  if (target === from) return pages;
  const next = pages.slice();
  const [page] = next.splice(from, 1);
  next.splice(target, 0, page!);
  return next;
}

/** The next state. Unknown page ids leave the state unchanged (a page removed while an action was on its way). */
export function scanReducer(state: ScanState, action: ScanAction): ScanState {
  switch (action.type) {
    case 'page':
      if (state.pages.some((p) => p.pageId === action.page.pageId)) return state;
      return { ...state, pages: [...state.pages, { ...action.page, rotation: 0 }] };
    case 'starting':
      return { ...state, job: { jobId: '', state: 'scanning', pages: 0 }, retired: state.job?.jobId ? [...state.retired, state.job.jobId] : state.retired };
    case 'started':
      // The job's events may have come before the answer: they already carry its id.
      if (!state.job || state.job.jobId !== '') return state;
      return { ...state, job: { ...state.job, jobId: action.jobId } };
    case 'job':
      // Events of an older job (stopped, then « Numériser encore ») never overwrite the current one's.
      if (state.retired.includes(action.job.jobId)) return state;
      return { ...state, job: action.job };
    case 'move': {
      const from = state.pages.findIndex((p) => p.pageId === action.pageId);
      if (from < 0) return state;
      const pages = moveTo(state.pages, action.pageId, from + action.by);
      return pages === state.pages ? state : { ...state, pages };
    }
    case 'moveTo': {
      const pages = moveTo(state.pages, action.pageId, action.to);
      return pages === state.pages ? state : { ...state, pages };
    }
    case 'rotate':
      return {
        ...state,
        pages: state.pages.map((p) => (p.pageId === action.pageId ? { ...p, rotation: (((p.rotation + action.quarter * 90) % 360) + 360) % 360 as Rotation } : p)),
      };
    case 'remove':
      return { ...state, pages: state.pages.filter((p) => p.pageId !== action.pageId) };
    case 'reset':
      return EMPTY_SCAN;
  }
}

/** True while the scanner is sending pages (« Numériser » and « Ajouter au coffre-fort » wait, « Arrêter » shows). */
export function isScanning(state: ScanState): boolean {
  return state.job?.state === 'scanning';
}

/** What `scan:commit` wants: the pages in the shown order with their rotation. */
export function commitPages(state: ScanState): { pageId: string; rotation: Rotation }[] {
  return state.pages.map((p) => ({ pageId: p.pageId, rotation: p.rotation }));
}
