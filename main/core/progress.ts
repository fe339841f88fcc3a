/**
 * Progress events for long operations, thinned out: at most one every `intervalMs` per operation, but always the
 * first, every stage change and the last (done === total), so a bar never stalls short of the end. A 20 MB paper
 * is 320 encrypted chunks; sending each one over IPC or SSE would cost more than it tells.
 */
export type ProgressSink = (stage: string | undefined, done: number, total: number) => void;

export function throttleProgress(send: ProgressSink, intervalMs = 100, now: () => number = Date.now): ProgressSink {
  let last = -Infinity;
  let lastStage: string | undefined;
  return (stage, done, total) => {
    const t = now();
    if (done >= total || stage !== lastStage || t - last >= intervalMs) {
      last = t;
      lastStage = stage;
      send(stage, done, total);
    }
  };
}
