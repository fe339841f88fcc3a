/**
 * Choosing the scanner and its settings for a scan session (docs/scanning.md « La séance de numérisation »): the
 * scanners the core finds (`scan:listScanners`: mDNS, addresses typed before, SANE/WIA), « Rechercher » to look
 * again, « Ajouter une adresse » for an eSCL scanner the network does not announce (`scan:addScanner`, remembered
 * per PC by the core), then source (vitre / chargeur / recto-verso), mode and resolution among what the scanner
 * says it can do (`scan:capabilities`). The last choice is remembered on this PC (./scanChoice.ts).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ColorMode, Scanner, ScannerCapabilities, ScanSource } from '../../../shared/domain/scan';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { ErrorAlert } from '../../components/Alert';
import { SelectField, TextField } from '../../components/Field';
import { readScanChoice, saveScanChoice, settingsFor, type ScanChoice } from './scanChoice';

const storage = (): Storage | undefined => globalThis.localStorage;

export interface ScannerChoiceState {
  scanners: Scanner[] | null;
  searching: boolean;
  caps: ScannerCapabilities | null;
  /** Complete once a scanner is chosen and its capabilities read. */
  choice: ScanChoice | null;
  scannerId: string;
  error: string | null;
  select(scannerId: string): void;
  set(change: Partial<Omit<ScanChoice, 'scannerId'>>): void;
  search(): Promise<void>;
  add(address: string): Promise<boolean>;
  forget(scannerId: string): Promise<void>;
  /** Keeps the current settings as this PC's choice (called when a scan starts). */
  remember(): void;
}

export function useScannerChoice(): ScannerChoiceState {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const [scanners, setScanners] = useState<Scanner[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [scannerId, setScannerId] = useState('');
  const [caps, setCaps] = useState<ScannerCapabilities | null>(null);
  const [settings, setSettings] = useState<Omit<ScanChoice, 'scannerId'> | null>(null);
  const [error, setError] = useState<string | null>(null);

  const list = useCallback(
    async (refresh: boolean) => {
      setSearching(true);
      try {
        const { items } = await invoke('scan:listScanners', refresh ? { refresh: true } : {});
        setScanners(items);
        setError(null);
        setScannerId((current) => {
          if (current && items.some((s) => s.id === current)) return current;
          const remembered = readScanChoice(storage())?.scannerId;
          return items.find((s) => s.id === remembered)?.id ?? items[0]?.id ?? '';
        });
        if (refresh) announce(t('scan.found', { count: items.length }));
      } catch (e) {
        setScanners((s) => s ?? []);
        setError(errorMessage(e));
      } finally {
        setSearching(false);
      }
    },
    [announce, t],
  );
  useEffect(() => void list(false), [list]);

  useEffect(() => {
    setCaps(null);
    setSettings(null);
    if (!scannerId) return;
    let alive = true;
    invoke('scan:capabilities', { scannerId })
      .then((c) => {
        if (!alive) return;
        setCaps(c);
        setSettings(settingsFor(c, readScanChoice(storage()), scannerId));
        setError(null);
      })
      .catch((e: unknown) => alive && setError(errorMessage(e)));
    return () => {
      alive = false;
    };
  }, [scannerId]);

  async function add(address: string): Promise<boolean> {
    try {
      const scanner = await invoke('scan:addScanner', { address });
      setScanners((s) => [...(s ?? []).filter((x) => x.id !== scanner.id), scanner]);
      setScannerId(scanner.id);
      setError(null);
      announce(t('scan.addressAdded', { name: scanner.name }));
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    }
  }

  async function forget(id: string): Promise<void> {
    try {
      await invoke('scan:forgetScanner', { id });
      await list(false);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const choice = scannerId && settings ? { scannerId, ...settings } : null;
  return {
    scanners,
    searching,
    caps,
    choice,
    scannerId,
    error,
    select: setScannerId,
    set: (change) => setSettings((s) => (s ? { ...s, ...change } : s)),
    search: () => list(true),
    add,
    forget,
    remember: () => choice && saveScanChoice(storage(), choice),
  };
}

/** The scanner list with « Rechercher » and « Ajouter une adresse », then the settings of the chosen scanner. */
export function ScannerChooser({ state, disabled }: { state: ScannerChoiceState; disabled: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [address, setAddress] = useState('');
  const [addressError, setAddressError] = useState<string | null>(null);
  const s = state;
  const chosen = s.scanners?.find((x) => x.id === s.scannerId);

  async function addAddress(e: FormEvent) {
    e.preventDefault();
    if (!address.trim()) return setAddressError(t('scan.addressRequired'));
    setAddressError(null);
    if (await s.add(address.trim())) {
      setAdding(false);
      setAddress('');
    }
  }

  return (
    <div className="scan-settings stack">
      <div className="scan-row">
        <SelectField
          label={t('scan.scanner')}
          value={s.scannerId}
          onChange={(e) => s.select(e.target.value)}
          disabled={disabled || !s.scanners?.length}
          hint={s.scanners && s.scanners.length === 0 ? t('scan.noScanner') : undefined}
        >
          {s.scanners === null ? <option value="">{t('scan.searching')}</option> : null}
          {s.scanners?.length === 0 ? <option value="">{t('scan.none')}</option> : null}
          {s.scanners?.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name} ({t(`scan.kinds.${x.kind}`)})
            </option>
          ))}
        </SelectField>
        <div className="actions">
          <button type="button" className="button secondary" onClick={() => void s.search()} aria-disabled={s.searching || disabled ? true : undefined} disabled={disabled}>
            {s.searching ? t('scan.searching') : t('scan.search')}
          </button>
          <button type="button" className="button secondary" aria-expanded={adding} onClick={() => setAdding(!adding)} disabled={disabled}>
            {t('scan.addAddress')}
          </button>
          {chosen?.kind === 'escl' ? (
            <button type="button" className="link-button" onClick={() => void s.forget(chosen.id)} disabled={disabled}>
              {t('scan.forget', { name: chosen.name })}
            </button>
          ) : null}
        </div>
      </div>
      {adding ? (
        <form className="scan-address" aria-label={t('scan.addAddress')} onSubmit={(e) => void addAddress(e)} noValidate>
          <TextField
            label={t('scan.address')}
            hint={t('scan.addressHint')}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            error={addressError}
            autoComplete="off"
            spellCheck={false}
            inputMode="url"
            autoFocus
          />
          <button type="submit" className="button secondary">
            {t('scan.addressAdd')}
          </button>
        </form>
      ) : null}
      <ErrorAlert>{s.error}</ErrorAlert>
      {s.caps && s.choice ? (
        <div className="grid-4">
          <SelectField label={t('scan.source')} value={s.choice.source} onChange={(e) => s.set({ source: e.target.value as ScanSource })} disabled={disabled}>
            {s.caps.sources.map((x) => (
              <option key={x} value={x}>
                {t(`scan.sources.${x}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('scan.mode')} value={s.choice.mode} onChange={(e) => s.set({ mode: e.target.value as ColorMode })} disabled={disabled}>
            {s.caps.modes.map((x) => (
              <option key={x} value={x}>
                {t(`scan.modes.${x}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('scan.resolution')} value={String(s.choice.dpi)} onChange={(e) => s.set({ dpi: Number(e.target.value) })} disabled={disabled}>
            {s.caps.resolutions.map((x) => (
              <option key={x} value={x}>
                {t('scan.dpi', { dpi: x })}
              </option>
            ))}
          </SelectField>
        </div>
      ) : null}
    </div>
  );
}
