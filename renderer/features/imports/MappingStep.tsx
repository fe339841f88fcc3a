/** Mapping step: detected format, the first rows, one select per column (a field or "Ignorer"), default kinds. */
import { useTranslation } from 'react-i18next';
import { IMPORT_FIELDS, type ColumnMapping, type ImportField, type ImportPreview } from '../../../shared/domain/imports';
import { PERSON_KINDS, type PersonKind } from '../../../shared/domain/person';
import { CheckboxField } from '../../components/Field';

interface Props {
  preview: ImportPreview;
  columns: ColumnMapping;
  onColumns(columns: ColumnMapping): void;
  kinds: PersonKind[];
  onKinds(kinds: PersonKind[]): void;
}

export function MappingStep({ preview, columns, onColumns, kinds, onKinds }: Props) {
  const { t } = useTranslation();
  const setColumn = (i: number, field: ImportField | null) => onColumns(columns.map((c, j) => (j === i ? field : c)));
  const sep = preview.separator ? t(`imports.separators.${preview.separator === '\t' ? 'tab' : preview.separator === ';' ? 'semicolon' : 'comma'}`) : '—';

  return (
    <div className="mapping stack">
      <dl className="detected">
        <div>
          <dt>{t('imports.detected.format')}</dt>
          <dd>{preview.format.toUpperCase()}</dd>
        </div>
        <div>
          <dt>{t('imports.detected.encoding')}</dt>
          <dd>{preview.encoding ? t(`imports.encodings.${preview.encoding}`) : '—'}</dd>
        </div>
        <div>
          <dt>{t('imports.detected.separator')}</dt>
          <dd>{sep}</dd>
        </div>
        <div>
          <dt>{t('imports.detected.shape')}</dt>
          <dd>{t(`imports.shapes.${preview.shape}`)}</dd>
        </div>
        <div>
          <dt>{t('imports.detected.rows')}</dt>
          <dd>{preview.rowCount}</dd>
        </div>
      </dl>

      <div className="table-wrap mapping-wrap" tabIndex={0} role="region" aria-label={t('imports.mappingTable')}>
        <table className="data-table mapping-table">
          <caption className="visually-hidden">{t('imports.mappingTable')}</caption>
          <thead>
            <tr>
              {preview.headers.map((h, i) => (
                <th key={i} scope="col">
                  <label htmlFor={`map-${i}`} className="column-name">
                    {h || t('imports.unnamedColumn', { n: i + 1 })}
                  </label>
                  <select
                    id={`map-${i}`}
                    className={columns[i] ? 'mapped' : 'ignored'}
                    value={columns[i] ?? ''}
                    onChange={(e) => setColumn(i, (e.target.value || null) as ImportField | null)}
                  >
                    <option value="">{t('imports.ignore')}</option>
                    {IMPORT_FIELDS.map((f) => (
                      <option key={f} value={f}>
                        {t(`importFields.${f}`)}
                      </option>
                    ))}
                  </select>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.sampleRows.map((row, r) => (
              <tr key={r}>
                {preview.headers.map((_, c) => (
                  <td key={c} className={columns[c] ? undefined : 'ignored'}>
                    {row[c] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <fieldset className="inline-group">
        <legend>{t('imports.defaultKinds')}</legend>
        {PERSON_KINDS.map((k) => (
          <CheckboxField
            key={k}
            label={t(`kinds.${k}`)}
            checked={kinds.includes(k)}
            onChange={(e) => onKinds(e.target.checked ? [...kinds.filter((x) => x !== k), k] : kinds.filter((x) => x !== k))}
          />
        ))}
      </fieldset>
    </div>
  );
}
