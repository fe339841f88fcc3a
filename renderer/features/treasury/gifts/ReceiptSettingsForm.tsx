/**
 * « Réglages des reçus »: the beneficiary as CERFA 11580*05 prints it (name, SIREN or RNA, address, object, kind of
 * organisation, articles of the CGI, signatory, place). Needed before the first receipt; `treasury.issueReceipts`.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CGI_ARTICLES, ORG_KINDS, ORG_KIND_LABELS_FR, receiptSettings, type CgiArticle, type OrgKind, type ReceiptSettings } from '../../../../shared/domain/gift';
import { invoke } from '../../../api/client';
import { useSubmit } from '../../../app/useSubmit';
import { ErrorAlert } from '../../../components/Alert';
import { CheckboxField, SelectField, TextField } from '../../../components/Field';

type TextKey = Exclude<keyof ReceiptSettings, 'orgKind' | 'articles'>;
const TEXT_FIELDS: TextKey[] = ['name', 'sirenOrRna', 'address', 'postalCode', 'city', 'object', 'orgKindDetail', 'signatoryName', 'signatoryTitle', 'place'];

export function ReceiptSettingsForm({ onSaved }: { onSaved(message: string): void }) {
  const { t } = useTranslation();
  const [s, setS] = useState<ReceiptSettings | null>(null);
  const { busy, error, setError, run, check, fieldErrors, formRef } = useSubmit([...TEXT_FIELDS, 'orgKind', 'articles']);

  useEffect(() => {
    invoke('receipts:settings', {}).then(setS, (e: unknown) => setError(String((e as Error).message)));
  }, [setError]);

  if (!s) return error ? <ErrorAlert>{error}</ErrorAlert> : null;
  const set = <K extends keyof ReceiptSettings>(k: K, v: ReceiptSettings[K]) => setS({ ...s, [k]: v });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!s || !check(receiptSettings, s)) return;
    if (await run(async () => setS(await invoke('receipts:saveSettings', s)))) onSaved(t('gifts.settings.saved'));
  }

  return (
    <form ref={formRef} className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label={t('gifts.settings.title')}>
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      <div className="grid-4">
        {TEXT_FIELDS.map((k) => (
          <TextField key={k} label={t(`gifts.settings.${k}`)} value={s[k]} onChange={(e) => set(k, e.target.value)} error={fieldErrors[k]} autoComplete="off" />
        ))}
      </div>
      <SelectField label={t('gifts.settings.orgKind')} value={s.orgKind} onChange={(e) => set('orgKind', e.target.value as OrgKind)}>
        {ORG_KINDS.map((k) => (
          <option key={k} value={k}>
            {ORG_KIND_LABELS_FR[k]}
          </option>
        ))}
      </SelectField>
      <fieldset className="stack">
        <legend>{t('gifts.settings.articles')}</legend>
        {CGI_ARTICLES.map((a) => (
          <CheckboxField
            key={a}
            label={t('gifts.settings.article', { article: a })}
            checked={s.articles.includes(a)}
            onChange={(e) => set('articles', e.target.checked ? [...s.articles, a] : s.articles.filter((x: CgiArticle) => x !== a))}
          />
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          {t('gifts.settings.save')}
        </button>
      </div>
    </form>
  );
}
