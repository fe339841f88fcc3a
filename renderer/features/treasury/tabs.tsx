/**
 * The sub-tabs of « Trésorerie » (docs/treasury.md « Écrans »), in their fixed order. Each treasury feature adds its
 * own entry here (one line) and its component in its own folder:
 * - `dues` « Cotisations » — renderer/features/treasury/dues/
 * - `gifts` « Dons et reçus » — renderer/features/treasury/gifts/
 * - `journal` « Journal », `reconciliation` « Rapprochement », `exports` « Exports » — slots for the ledger feature
 * A tab is shown only when the session holds one of its permissions (the core refuses its channels anyway).
 */
import type { ReactNode } from 'react';
import type { Permission } from '../../../shared/domain/access';
import type { TreasuryTab } from '../../app/router';
import { DuesTab } from './dues/DuesTab';
import { GiftsTab } from './gifts/GiftsTab';
import { ExportsTab } from './ledger/ExportsTab';
import { JournalTab } from './ledger/JournalTab';
import { ReconciliationTab } from './ledger/ReconciliationTab';

export interface TreasuryTabDef {
  id: TreasuryTab;
  /** Any one of these opens the tab. */
  needs: readonly Permission[];
  render(): ReactNode;
}

export const TREASURY_TABS: readonly TreasuryTabDef[] = [
  { id: 'dues', needs: ['treasury.read'], render: () => <DuesTab /> },
  { id: 'gifts', needs: ['treasury.read'], render: () => <GiftsTab /> },
  { id: 'journal', needs: ['treasury.read'], render: () => <JournalTab /> },
  { id: 'reconciliation', needs: ['treasury.read'], render: () => <ReconciliationTab /> },
  { id: 'exports', needs: ['treasury.export'], render: () => <ExportsTab /> },
];

/** The tabs a session may open, in order. */
export function treasuryTabs(permissions: readonly Permission[]): TreasuryTabDef[] {
  return TREASURY_TABS.filter((tab) => tab.needs.some((p) => permissions.includes(p)));
}
