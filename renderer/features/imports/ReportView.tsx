/**
 * An import report (dry run or real): counts (a dry run says « À importer », « À mettre à jour »), the people already
 * stored that the file completes (ticked or not before the import), then errors and warnings with their line numbers.
 */
import { useTranslation } from 'react-i18next';
import { IMPORT_FIELDS, type ImportField, type ImportReport } from '../../../shared/domain/imports';
import { UpdatesTable } from './UpdatesTable';

/** The core's messages already start with "Ligne N :"; the line is shown in its own column, so drop it there. */
function withoutLine(message: string): string {
  return message.replace(/^\s*ligne\s+\d+\s*:\s*/i, '');
}

interface Props {
  report: ImportReport;
  /** Before the real import: the people unticked in the preview, and how to change them. */
  excluded?: ReadonlySet<string>;
  onExcluded?(next: Set<string>): void;
}

export function ReportView({ report, excluded, onExcluded }: Props) {
  const { t } = useTranslation();
  const words = report.dryRun ? 'imports.dryReport' : 'imports.report';
  const fieldLabel = (f: string) => ((IMPORT_FIELDS as readonly string[]).includes(f) ? t(`importFields.${f as ImportField}`) : f);
  const counts: [string, number, string][] = [
    ['rows', report.rows, t('imports.report.rows')],
    ['imported', report.imported, t(`${words}.imported`)],
    ['updated', report.updated, t(`${words}.updated`)],
    ['unchanged', report.unchanged, t(`${words}.unchanged`)],
    ['errors', report.errors.length, t('imports.report.errors')],
    ['warnings', report.warnings.length, t('imports.report.warnings')],
  ];
  // Dues payments recorded from a HelloAsso export (docs/treasury.md « HelloAsso »): shown when there are some.
  if (report.payments > 0) counts.splice(4, 0, ['payments', report.payments, t('imports.report.payments')]);
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
      {report.dryRun ? <UpdatesTable updates={report.updates} {...(excluded && onExcluded ? { excluded, onExcluded } : {})} /> : <UpdatesTable updates={report.updates} />}
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
