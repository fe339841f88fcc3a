/**
 * The description of a paper, shared by every way a paper enters the vault (files in AddPaperForm, a scan session in
 * features/scan/ScanPanel.tsx): type (required), title, issue and expiry dates (typed jj/mm/aaaa, DateField), note,
 * visibility. `usePaperFields()` holds what is typed; `read()` checks it the way the contract does (`documentMeta`
 * in shared/domain/document.ts) and gives either the metadata to send or each refused field's French message, which
 * `<PaperFields>` then shows next to its field.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_TYPES, documentMeta, type DocumentType } from '../../../shared/domain/document';
import { EVERYONE, type Visibility } from '../../../shared/domain/access';
import { maxLengths } from '../../../shared/domain/schemaLimits';
import { DateField, readTypedDate } from '../../components/DateField';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import { VisibilityPicker } from '../../components/VisibilityPicker';
import { useDirectory, visibilityComplete } from '../access/useDirectory';

const LIMITS = maxLengths(documentMeta.shape);

/** What `read()` gives when every field is right: the request's `meta` of `vault:addDocument` / `scan:commit`. */
export interface PaperMeta {
  type: DocumentType;
  title: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  note: string | null;
  visibility: Visibility;
}

interface Errors {
  type: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
  /** Not tied to one field (a visibility with nobody chosen). */
  form: string | null;
}
const NO_ERRORS: Errors = { type: null, issuedOn: null, expiresOn: null, form: null };

export interface PaperFieldsState {
  type: DocumentType | '';
  setType(v: DocumentType | ''): void;
  title: string;
  setTitle(v: string): void;
  issuedOn: string;
  setIssuedOn(v: string): void;
  expiresOn: string;
  setExpiresOn(v: string): void;
  note: string;
  setNote(v: string): void;
  visibility: Visibility;
  setVisibility(v: Visibility): void;
  errors: Errors;
  /** True once anything was typed or chosen (the caller holds the data refresh then). */
  touched: boolean;
  /** Checks every field at once: the metadata, or null with each message set (the first refused field gets focus). */
  read(): PaperMeta | null;
  /** Empties every field (after the paper is stored). */
  reset(): void;
}

export function usePaperFields(): PaperFieldsState {
  const { t } = useTranslation();
  const [type, setType] = useState<DocumentType | ''>('');
  const [title, setTitle] = useState('');
  const [issuedOn, setIssuedOn] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [note, setNote] = useState('');
  const [visibility, setVisibility] = useState<Visibility>(EVERYONE);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);

  function read(): PaperMeta | null {
    const issued = readTypedDate(issuedOn, t('vault.issuedOn'), t);
    const expires = readTypedDate(expiresOn, t('vault.expiresOn'), t);
    const next: Errors = {
      type: type ? null : t('vault.typeRequired'),
      issuedOn: issued.error,
      expiresOn: expires.error,
      form: visibilityComplete(visibility) ? null : t('visibility.chooseSomeone'),
    };
    setErrors(next);
    if (next.type || next.issuedOn || next.expiresOn || next.form || !type) return null;
    return { type, title: title.trim() || null, issuedOn: issued.iso, expiresOn: expires.iso, note: note.trim() || null, visibility };
  }

  function reset() {
    setType('');
    setTitle('');
    setIssuedOn('');
    setExpiresOn('');
    setNote('');
    setVisibility(EVERYONE);
    setErrors(NO_ERRORS);
  }

  // A type chosen after a refusal takes its message away at once.
  function chooseType(v: DocumentType | '') {
    setType(v);
    if (v) setErrors((e) => (e.type ? { ...e, type: null } : e));
  }

  const touched = type !== '' || title !== '' || issuedOn !== '' || expiresOn !== '' || note !== '' || visibility.kind !== 'everyone';
  return { type, setType: chooseType, title, setTitle, issuedOn, setIssuedOn, expiresOn, setExpiresOn, note, setNote, visibility, setVisibility, errors, touched, read, reset };
}

/** The fields themselves, in the order of the papers table (type, title, dates), then note and visibility. */
export function PaperFields({ state }: { state: PaperFieldsState }) {
  const { t } = useTranslation();
  const directory = useDirectory();
  const s = state;
  return (
    <>
      <div className="grid-4">
        <SelectField label={t('vault.type')} value={s.type} onChange={(e) => s.setType(e.target.value as DocumentType | '')} required error={s.errors.type}>
          <option value="">{t('vault.chooseType')}</option>
          {DOCUMENT_TYPES.map((d) => (
            <option key={d} value={d}>
              {t(`documentTypes.${d}`)}
            </option>
          ))}
        </SelectField>
        <TextField label={t('vault.docTitle')} value={s.title} onChange={(e) => s.setTitle(e.target.value)} maxLength={LIMITS.title} autoComplete="off" />
        <DateField label={t('vault.issuedOn')} value={s.issuedOn} onChange={s.setIssuedOn} error={s.errors.issuedOn} />
        <DateField label={t('vault.expiresOn')} value={s.expiresOn} onChange={s.setExpiresOn} error={s.errors.expiresOn} />
      </div>
      <TextAreaField label={t('vault.note')} value={s.note} onChange={(e) => s.setNote(e.target.value)} rows={2} maxLength={LIMITS.note} />
      <VisibilityPicker value={s.visibility} onChange={s.setVisibility} groups={directory.groups} users={directory.users} myGroupIds={directory.myGroupIds} />
    </>
  );
}
