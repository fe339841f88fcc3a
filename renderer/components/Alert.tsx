/** Messages: errors are announced assertively (role=alert), notices politely. */
import type { ReactNode } from 'react';

export function ErrorAlert({ children, id }: { children: ReactNode; id?: string }) {
  if (!children) return null;
  return (
    <div className="alert alert-error" role="alert" id={id}>
      {children}
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'success' | 'warning' }) {
  if (!children) return null;
  return (
    <div className={`alert alert-${tone}`} role="status">
      {children}
    </div>
  );
}
