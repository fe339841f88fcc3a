/**
 * « Dans les pièces »: below the people search, the papers whose recognised text holds the words typed
 * (`papers:searchText`, docs/ocr.md "Search"), each as « Awa Diallo — trouvé dans : Avis d'imposition 2025 » with a
 * snippet; a click opens the paper. Only for users who may read papers, from 3 characters typed, debounced like the
 * people search; the core answers only with papers the user may read.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../shared/contract';
import { errorMessage, invoke } from '../../api/client';
import { useDataVersion } from '../../app/dataVersion';
import { useRouter } from '../../app/router';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import './vault.css';

type Hit = ResponseOf<'papers:searchText'>['items'][number];

const DEBOUNCE_MS = 250;
const MIN_CHARS = 3;

export function PaperTextResults({ query }: { query: string }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const can = useCan();
  const version = useDataVersion();
  const [hits, setHits] = useState<Hit[]>([]);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const allowed = can('documents.read');
  const text = query.trim();

  useEffect(() => {
    const mine = ++seq.current;
    if (!allowed || text.length < MIN_CHARS) {
      setHits([]);
      setError(null);
      return;
    }
    const timer = window.setTimeout(() => {
      invoke('papers:searchText', { query: text, limit: 20 })
        .then((r) => {
          if (mine !== seq.current) return;
          setHits(r.items);
          setError(null);
        })
        .catch((e: unknown) => mine === seq.current && setError(errorMessage(e)));
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, allowed, version]);

  if (!allowed || (hits.length === 0 && !error)) return null;
  return (
    <section className="paper-text-results" aria-labelledby="paper-text-title">
      <h2 id="paper-text-title">{t('ocr.inPapers', { count: hits.length })}</h2>
      <ErrorAlert>{error}</ErrorAlert>
      <ul className="paper-hits">
        {hits.map((h) => (
          <li key={h.documentId}>
            <button type="button" className="paper-hit" onClick={() => navigate({ name: 'document', id: h.documentId, personId: h.personId })}>
              <span className="paper-hit-where">
                <strong>{h.personName || t('people.noName')}</strong> — {t('ocr.foundIn', { label: h.label, page: h.page })}
              </span>
              <span className="paper-hit-snippet">{h.snippet}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
