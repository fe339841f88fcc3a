/** « Imprimer la feuille (PDF) »: asks the core for the recovery sheet of a code just shown and offers it as a PDF. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { downloadBytes } from '../../app/download';

export function useRecoverySheet(code: string) {
  const { t } = useTranslation();
  const [printing, setPrinting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);

  async function print() {
    if (printing) return;
    setPrinting(true);
    setError(null);
    try {
      const { pdf } = await invoke('recovery:sheet', { recoveryCode: code });
      const fileName = t('recovery.fileName');
      downloadBytes(pdf, fileName);
      setPrinted(t('recovery.downloaded', { name: fileName }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPrinting(false);
    }
  }
  return { printing, error, printed, print: () => void print() };
}
