/**
 * Handlers of the cash book, bank reconciliation and accounting exports (shared/contract/ledger.ts): their own map,
 * merged into buildHandlers. Services are built per call from the open session.
 */
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { ledgerChannels } from '../../shared/contract/ledger';
import { BankService } from '../services/ledger/bankService';
import { ExportService } from '../services/ledger/exportService';
import { LedgerService } from '../services/ledger/ledgerService';

type LedgerHandlers = { [C in keyof typeof ledgerChannels]: Handler<C> };

/** The ledger channels over the session `s()` returns (throws LOCKED when none). */
export function ledgerHandlers(s: () => Session): LedgerHandlers {
  const ledger = () => new LedgerService(s().ctx);
  const bank = () => new BankService(s().ctx);
  const exports = () => new ExportService(s().ctx);
  return {
    'ledger:journal': async (r) => ledger().journal(r.journal, r.year),
    'ledger:addEntry': async (r) => ledger().add(r),
    'ledger:reverseEntry': async (r) => ledger().reverse(r.id, r.date),
    'ledger:pendingCheques': async () => ({ items: await ledger().pendingCheques() }),
    'ledger:deposit': async (r) => ledger().deposit(r.date, r.entryIds),
    'ledger:depositSlip': async (r) => ledger().depositSlip(r.id, s().info().associationName),
    'ledger:importStatement': async (r) => bank().importStatement(r.fileName, r.data),
    'ledger:bankLines': async () => ({ items: await bank().lines(), suggestions: await bank().suggestions() }),
    'ledger:confirmMatch': async (r) => {
      await bank().confirm(r.lineId, r.entryId);
      return {};
    },
    'ledger:undoMatch': async (r) => {
      await bank().undo(r.lineId);
      return {};
    },
    'ledger:exportFec': async (r) => exports().fec(r.year, r.siren),
    'ledger:exportCsv': async (r) => exports().csv(r.year),
    'ledger:summary': async (r) => exports().summary(r.year),
  };
}
