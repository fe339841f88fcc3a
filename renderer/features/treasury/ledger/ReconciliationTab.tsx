/**
 * « Rapprochement » (docs/treasury.md « Rapprochement »): import a bank statement (CSV of a French bank or OFX), see
 * what was added, already there, reconciled at once or refused (French, naming the line), then for each line not yet
 * reconciled the suggested bank journal entries (same amount, near date, cheque number, shared words) to confirm, and
 * for a reconciled line the way back.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHART, type BankLine, type MatchSuggestion, type StatementError } from '../../../../shared/domain/ledger';
import type { LedgerEntry } from '../../../../shared/domain/ledger';
import { formatCents } from '../../../../shared/domain/money';
import { typedDateOf } from '../../../../shared/domain/dates';
import { errorMessage, invoke } from '../../../api/client';
import { useAnnouncer } from '../../../app/announcer';
import { useDataVersion } from '../../../app/dataVersion';
import { useCan } from '../../../app/session';
import { ErrorAlert, Notice } from '../../../components/Alert';
import { FileField } from '../../../components/FileField';
import { LineEntry } from './LineEntry';
import './ledger.css';

interface Report {
  fileName: string;
  lines: number;
  duplicates: number;
  matched: number;
  errors: StatementError[];
}

export function ReconciliationTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { announce } = useAnnouncer();
  const version = useDataVersion();
  const [lines, setLines] = useState<BankLine[]>([]);
  const [suggestions, setSuggestions] = useState<MatchSuggestion[]>([]);
  const [entries, setEntries] = useState<Map<string, LedgerEntry>>(new Map());
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const r = await invoke('ledger:bankLines', {});
      const bank = await invoke('ledger:journal', { journal: 'bank' });
      setLines(r.items);
      setSuggestions(r.suggestions);
      setEntries(new Map(bank.items.map((e) => [e.id, e])));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, version]);

  async function importFile(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    try {
      const r = await invoke('ledger:importStatement', { fileName: file.name, data: new Uint8Array(await file.arrayBuffer()) });
      setReport({ fileName: file.name, ...r });
      announce(t('ledger.imported', { lines: r.lines, matched: r.matched }));
      setError(null);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function act(work: () => Promise<unknown>, message: string) {
    try {
      await work();
      announce(message);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const entryText = (id: string | null) => {
    const e = id ? entries.get(id) : undefined;
    return e ? `${typedDateOf(e.date)} · ${e.label} · ${formatCents(e.direction === 'receipt' ? e.amountCents : -e.amountCents)}` : t('ledger.entryElsewhere');
  };
  const waiting = lines.filter((l) => l.entryId === null);

  return (
    <div className="stack">
      {can('treasury.write') ? (
        <section className="card stack" aria-labelledby="ledger-import-title">
          <h3 id="ledger-import-title">{t('ledger.importTitle')}</h3>
          <FileField id="ledger-statement" label={t('ledger.statementFile')} accept=".csv,.txt,.ofx,.qfx,text/csv" disabled={busy} hint={t('ledger.statementHint')} onFile={(f) => void importFile(f)} />
          {report ? (
            <Notice tone={report.errors.length > 0 ? 'warning' : 'success'}>
              <p>{t('ledger.importReport', { file: report.fileName, lines: report.lines, duplicates: report.duplicates, matched: report.matched })}</p>
              {report.errors.length > 0 ? (
                <ul>
                  {report.errors.map((e) => (
                    <li key={`${e.line}-${e.message}`}>{e.message}</li>
                  ))}
                </ul>
              ) : null}
            </Notice>
          ) : null}
        </section>
      ) : null}
      <ErrorAlert>{error}</ErrorAlert>
      <section className="card" aria-labelledby="ledger-lines-title">
        <h3 id="ledger-lines-title">{t('ledger.linesTitle', { count: lines.length, waiting: waiting.length })}</h3>
        {lines.length === 0 ? (
          <p className="muted">{t('ledger.noLine')}</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table ledger-table">
              <caption className="visually-hidden">{t('ledger.linesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('ledger.date')}</th>
                  <th scope="col">{t('ledger.bankLabel')}</th>
                  <th scope="col" className="amount">{t('ledger.amount')}</th>
                  <th scope="col">{t('ledger.match')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr key={l.id}>
                    <td>{typedDateOf(l.date)}</td>
                    <td>{l.label}</td>
                    <td className="amount">{formatCents(l.amountCents)}</td>
                    <td>
                      {l.entryId !== null ? (
                        <div className="ledger-suggestion">
                          <span>{t('ledger.reconciledWith', { entry: entryText(l.entryId) })}</span>
                          {can('treasury.write') ? (
                            <button type="button" className="button secondary" onClick={() => void act(() => invoke('ledger:undoMatch', { lineId: l.id }), t('ledger.undone'))}>
                              {t('ledger.undo')}
                            </button>
                          ) : null}
                        </div>
                      ) : (
                        <ul className="plain-list">
                          {suggestions.filter((s) => s.lineId === l.id).map((s) => (
                            <li key={s.entryId} className="ledger-suggestion">
                              <span>
                                {entryText(s.entryId)} <span className="muted">({s.reasons.join(', ')})</span>
                              </span>
                              {can('treasury.write') ? (
                                <button type="button" className="button primary" aria-label={t('ledger.confirmLabel', { line: l.label, entry: entryText(s.entryId) })} onClick={() => void act(() => invoke('ledger:confirmMatch', { lineId: l.id, entryId: s.entryId }), t('ledger.confirmed'))}>
                                  {t('ledger.confirm')}
                                </button>
                              ) : null}
                            </li>
                          ))}
                          {suggestions.every((s) => s.lineId !== l.id) ? <li className="muted">{t('ledger.noSuggestion')}</li> : null}
                          {can('treasury.write') ? (
                            <li>
                              <LineEntry line={l} onDone={(m) => void act(async () => undefined, m)} />
                            </li>
                          ) : null}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <datalist id="ledger-chart-lines">
        {Object.entries(CHART).map(([n, label]) => (
          <option key={n} value={n}>{`${n} ${label}`}</option>
        ))}
      </datalist>
    </div>
  );
}
