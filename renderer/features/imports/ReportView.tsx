/** An import report (dry run or real): counts, then errors and warnings with their line numbers. */
import { useTranslation } from 'react-i18next';
import { IMPORT_FIELDS, type ImportField, type ImportReport } from '../../../shared/domain/imports';

/** The core's messages already start with "Ligne N :"; the line is shown in its own column, so drop it there. */
function withoutLine(message: string): string {
  return message.replace(/^\s*ligne\s+\d+\s*:\s*/i, '');
}

export function ReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const fieldLabel = (f: string) => ((IMPORT_FIELDS as readonly string[]).includes(f) ? t(`importFields.${f as ImportField}`) : f);
  const counts: [string, number, string][] = [
    ['rows', report.rows, t('imports.report.rows')],
    ['imported', report.imported, t('imports.report.imported')],
    ['updated', report.updated, t('imports.report.updated')],
    ['unchanged', report.unchanged, t('imports.report.unchanged')],
    ['errors', report.errors.length, t('imports.report.errors')],
    ['warnings', report.warnings.length, t('imports.report.warnings')],
  ];
  return (
    <div className="report stack" data-testid={report.dryRun ? 'dry-run-report' : 'import-report'}>
      <dl className="counts">
        {counts.map(([key, n, label]) => (
          <div key={key} className={`count count-${key}${n > 0 ? ' nonzero' : ''}`} data-testid={`count-${key}`}>
            <dt>{label}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      {report.errors.length ? (
        <section aria-labelledby="report-errors">
          <h3 id="report-errors">{t('imports.report.errorsTitle', { count: report.errors.length })}</h3>
          <ul className="issues issues-error">
            {report.errors.map((e, i) => (
              <li key={i}>
                <span className="line">{t('imports.report.line', { line: e.line })}</span> {withoutLine(e.message)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {report.warnings.length ? (
        <section aria-labelledby="report-warnings">
          <h3 id="report-warnings">{t('imports.report.warningsTitle', { count: report.warnings.length })}</h3>
          <ul className="issues issues-warning">
            {report.warnings.map((w, i) => (
              <li key={i}>
                <span className="line">{t('imports.report.line', { line: w.line })}</span> <span className="field-name">{fieldLabel(w.field)}</span> — {withoutLine(w.message)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
