/**
 * The text state of a person's papers in their papers list (docs/ocr.md): « Texte reconnu » once a paper's text was
 * recognised, « Reconnaissance… » while its pages wait in the queue, « Texte non reconnu » when none could be read.
 * Read with `papers:ocrStates`, again on each `ocr:progress` event of the background queue.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke, on } from '../../api/client';
import { Badge } from '../../components/Badge';

type State = 'done' | 'pending' | 'failed' | 'none';

/** The text state of each paper of `personId`, kept fresh while the queue works; `refresh` changes force a reload. */
export function useOcrStates(personId: string, refresh: unknown): Map<string, State> {
  const [states, setStates] = useState<Map<string, State>>(new Map());
  useEffect(() => {
    let alive = true;
    const load = () =>
      invoke('papers:ocrStates', { personId })
        .then((r) => alive && setStates(new Map(r.items.map((i) => [i.documentId, i.state]))))
        .catch(() => undefined);
    void load();
    const off = on('ocr:progress', () => void load());
    return () => {
      alive = false;
      off();
    };
  }, [personId, refresh]);
  return states;
}

export function OcrStateBadge({ state }: { state: State | undefined }) {
  const { t } = useTranslation();
  if (state === 'done') return <Badge tone="success">{t('ocr.done')}</Badge>;
  if (state === 'pending') return <Badge>{t('ocr.pending')}</Badge>;
  if (state === 'failed') return <Badge tone="warning">{t('ocr.failed')}</Badge>;
  return null;
}
