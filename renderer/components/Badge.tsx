/** A small label with a tone; the text itself carries the meaning (never color alone). */
import type { ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'member' | 'volunteer' | 'beneficiary' | 'danger' | 'warning' | 'success';

export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
