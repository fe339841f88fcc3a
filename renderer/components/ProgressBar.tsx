/** A labelled native progress bar (indeterminate while total is unknown). */
import { useId } from 'react';

export function ProgressBar({ label, done, total }: { label: string; done: number; total: number }) {
  const id = useId();
  return (
    <div className="progress">
      <label htmlFor={id}>{label}</label>
      {total > 0 ? <progress id={id} max={total} value={Math.min(done, total)} /> : <progress id={id} />}
    </div>
  );
}
