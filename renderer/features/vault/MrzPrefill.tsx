/**
 * The suggestion read from a paper's machine-readable zone (MRZ): `papers:readMrz` on the files being added for a
 * person (or on a stored paper), in the background while the form stays usable. A valid reading offers the paper's
 * type and expiry (« Appliquer »); an old French card's suggested expiry says why (10 or 15 years, décret 2013-1188);
 * a name or birth date that differs from the person's record is named. A reading whose check digits fail is said to
 * be refused and prefills nothing. Nothing read is kept beyond what the form then saves (docs/mrz.md).
 *
 * Any form can use it (the add-paper form, the scan session's commit form: features/scan/ScanPanel.tsx): it takes
 * the source and reports the suggestion through `onApply`.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_MRZ_FILE_BYTES, MAX_MRZ_FILES } from '../../../shared/contract/mrz';
import type { ResponseOf } from '../../../shared/contract';
import type { DocumentType } from '../../../shared/domain/document';
import { invoke } from '../../api/client';
import { formatDate } from '../../app/format';
import { Notice } from '../../components/Alert';
import { MRZ_PAPER_TYPES } from '../../../shared/domain/mrz';
import { typedDateOf } from '../../../shared/domain/dates';
import type { PaperFieldsState } from './PaperFields';

type Result = ResponseOf<'papers:readMrz'>;
/**
 * What to read: files about to be added for a person (File objects or bytes), a stored paper, or pages held in the
 * core (a scan session's: `read` asks the core to read them where they are, `scan:readMrz`).
 */
export type MrzSource =
  | { personId: string; files: readonly (File | { name: string; bytes: Uint8Array })[] }
  | { documentId: string }
  | { read(): Promise<Result> };
export interface MrzSuggestion {
  type: DocumentType;
  expiresOn: string | null;
}

const READABLE = /\.(jpe?g|png|tiff?|pdf)$/i;

async function requestOf(source: Exclude<MrzSource, { read(): Promise<Result> }>) {
  if ('documentId' in source) return { documentId: source.documentId };
  const files = source.files
    .filter((f) => READABLE.test(f.name) && (f instanceof File ? f.size : f.bytes.byteLength) <= MAX_MRZ_FILE_BYTES)
    .slice(0, MAX_MRZ_FILES);
  if (!files.length) return null;
  const payload = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: f instanceof File ? new Uint8Array(await f.arrayBuffer()) : f.bytes })));
  return { personId: source.personId, files: payload };
}

/** Reads `source` (null: nothing to read) and offers the suggestion; `onApply` fills the form. */
export function MrzPrefill({ source, onApply }: { source: MrzSource | null; onApply(s: MrzSuggestion): void }) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'reading' } | { kind: 'done'; result: Result } | { kind: 'failed' }>({ kind: 'idle' });
  const [applied, setApplied] = useState(false);

  useEffect(() => {
    let current = true;
    setApplied(false);
    if (!source) {
      setState({ kind: 'idle' });
      return;
    }
    setState({ kind: 'reading' });
    void (async () => {
      try {
        const request = 'read' in source ? null : await requestOf(source);
        const result: Result = 'read' in source ? await source.read() : request ? await invoke('papers:readMrz', request) : { reading: null, mismatches: [] };
        if (current) setState({ kind: 'done', result });
      } catch {
        if (current) setState({ kind: 'failed' });
      }
    })();
    return () => {
      current = false;
    };
  }, [source]);

  if (state.kind === 'idle') return null;
  if (state.kind === 'reading') return <p className="muted mrz-reading" role="status">{t('mrz.reading')}</p>;
  if (state.kind === 'failed') return <p className="muted" role="status">{t('mrz.failed')}</p>;
  const { reading, mismatches } = state.result;
  if (!reading) return <p className="muted" role="status">{t('mrz.none')}</p>;
  if (!reading.valid) {
    return (
      <Notice tone="warning">
        <p>{t('mrz.refused')}</p>
        <ul className="plain-list">
          {reading.errors.slice(0, 4).map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      </Notice>
    );
  }
  const expiresOn = reading.expiresOn ?? reading.suggestedExpiresOn ?? null;
  const date = (iso: string) => formatDate(iso, i18n.language);
  return (
    <section className="mrz-prefill stack" aria-labelledby="mrz-title" data-testid="mrz-prefill">
      <Notice tone={mismatches.length ? 'warning' : 'info'}>
        <h4 id="mrz-title">{t('mrz.title')}</h4>
        <p>
          {t('mrz.found', { type: t(`documentTypes.${reading.documentType}`) })}{' '}
          {reading.expiresOn ? t('mrz.expires', { date: date(reading.expiresOn) }) : null}
        </p>
        {reading.suggestedExpiresOn && reading.issuedMonth ? (
          <p>{t('mrz.oldCard', { date: date(reading.suggestedExpiresOn), month: reading.issuedMonth.split('-').reverse().join('/'), years: reading.suggestedYears })}</p>
        ) : null}
        {mismatches.length ? (
          <ul className="plain-list mrz-mismatches">
            {mismatches.map((m) => (
              <li key={m.field}>
                {t(`mrz.differs.${m.field}`, { paper: m.field === 'birthDate' ? date(m.onPaper) : m.onPaper, record: m.field === 'birthDate' ? date(m.onRecord) : m.onRecord })}
              </li>
            ))}
          </ul>
        ) : null}
        <p className="mrz-actions">
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              onApply({ type: reading.documentType, expiresOn });
              setApplied(true);
            }}
          >
            {reading.suggestedExpiresOn ? t('mrz.applySuggested') : t('mrz.apply')}
          </button>{' '}
          {applied ? <span className="muted">{t('mrz.applied')}</span> : null}
        </p>
      </Notice>
    </section>
  );
}

/**
 * MrzPrefill for a paper's description (PaperFields): shown while the type is still empty or an identity paper, and
 * « Appliquer » sets the type and the expiry date (typed jj/mm/aaaa) of `fields`. Used by the add-paper form and the
 * scan session's panel.
 */
export function MrzPrefillFields({ source, fields }: { source: MrzSource | null; fields: PaperFieldsState }) {
  if (fields.type !== '' && !MRZ_PAPER_TYPES.includes(fields.type)) return null;
  return (
    <MrzPrefill
      source={source}
      onApply={(s) => {
        fields.setType(s.type);
        if (s.expiresOn) fields.setExpiresOn(typedDateOf(s.expiresOn));
      }}
    />
  );
}
