/**
 * Timing people searches for the benchmark (bench/run.ts): wall times per query and percentiles per query kind, in ms.
 */
import { performance } from 'node:perf_hooks';

const now = () => performance.now();
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** The p-th percentile (0–100, nearest rank) of already sorted numbers; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export type SearchTiming = { kind: string; query: string; ms: number; total: number };

/** Wall times (ms) of `search` for each query, after the first 20 queries run once as a warm-up. */
export async function timeSearches(queries: { kind: string; query: string }[], search: (query: string) => Promise<{ total: number }>): Promise<SearchTiming[]> {
  for (const q of queries.slice(0, 20)) await search(q.query);
  const timings: SearchTiming[] = [];
  for (const q of queries) {
    const s = now();
    const res = await search(q.query);
    timings.push({ ...q, ms: now() - s, total: res.total });
  }
  return timings;
}

/** p50, p95 and max (ms) per query kind. */
export function percentilesByKind(timings: SearchTiming[]): Record<string, { n: number; p50Ms: number; p95Ms: number; maxMs: number }> {
  const byKind: Record<string, { n: number; p50Ms: number; p95Ms: number; maxMs: number }> = {};
  for (const kind of [...new Set(timings.map((x) => x.kind))]) {
    const ms = timings.filter((x) => x.kind === kind).map((x) => x.ms).sort((a, b) => a - b);
    byKind[kind] = { n: ms.length, p50Ms: round(percentile(ms, 50), 2), p95Ms: round(percentile(ms, 95), 2), maxMs: round(ms[ms.length - 1] ?? NaN, 2) };
  }
  return byKind;
}
