/** The recovery code panel wired to the core's printable sheet (`recovery:sheet`). */
import type { ReactNode } from 'react';
import { RecoveryCodePanel } from '../../components/RecoveryCodePanel';
import { useRecoverySheet } from './useRecoverySheet';

export function RecoveryStep({ code, onDone, doneLabel }: { code: string; onDone(): void; doneLabel: ReactNode }) {
  const sheet = useRecoverySheet(code);
  return (
    <RecoveryCodePanel
      code={code}
      printing={sheet.printing}
      error={sheet.error}
      printed={sheet.printed}
      onPrint={sheet.print}
      onDone={onDone}
      doneLabel={doneLabel}
    />
  );
}
