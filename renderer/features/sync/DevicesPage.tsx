/**
 * « Postes et synchronisation » (issue 4 §5, `users.manage`). Without a hub: the form to join one (`sync:joinHub`).
 * With a hub: its address, this device, the association's devices (`devices:list`, « Retirer » → `devices:revoke`)
 * and « Inviter un poste » (`devices:invite`: a pairing code shown once, 15 minutes, 5 attempts).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { deviceInfo } from '../../../shared/contract/sync';
import { errorMessage, invoke } from '../../api/client';
import { useDataVersion } from '../../app/dataVersion';
import { ErrorAlert } from '../../components/Alert';
import { PageHeader } from '../../components/PageHeader';
import { DeviceList } from './DeviceList';
import { InviteDevice } from './InviteDevice';
import { JoinHubForm } from './JoinHubForm';
import { useSyncStatus } from './SyncStatusContext';
import './sync.css';

export type Device = z.infer<typeof deviceInfo>;

export function DevicesPage() {
  const { t } = useTranslation();
  const { status, error: statusError } = useSyncStatus();
  const configured = status?.configured ?? false;
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const thisDevice = useRef<HTMLHeadingElement>(null);
  const wasConfigured = useRef<boolean | null>(null);
  const version = useDataVersion();

  const loadDevices = useCallback(async () => {
    try {
      setDevices((await invoke('devices:list', {})).items);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  const known = status !== null;
  // When `configured` changes or the data version moves, never at each status poll (`devices:list` counts as activity).
  useEffect(() => {
    if (!known) return;
    if (configured) void loadDevices();
    // Just joined a hub here: the form is gone, the focus goes to what replaced it.
    if (configured && wasConfigured.current === false) thisDevice.current?.focus();
    wasConfigured.current = configured;
  }, [known, configured, loadDevices, version]);

  return (
    <div className="devices-page">
      <PageHeader title={t('devices.title')}>
        <p className="muted page-intro">{t('devices.intro')}</p>
      </PageHeader>
      {!status ? statusError ? <ErrorAlert>{statusError}</ErrorAlert> : <p className="muted">{t('app.loading')}</p> : null}
      {status && !status.configured ? <JoinHubForm /> : null}
      {status?.configured ? (
        <>
          <section className="card stack" aria-labelledby="this-device-title">
            <h2 id="this-device-title" ref={thisDevice} tabIndex={-1}>
              {t('devices.thisDevice')}
            </h2>
            <dl className="device-facts">
              <div>
                <dt>{t('devices.hubUrl')}</dt>
                <dd className="mono" data-testid="hub-url">
                  {status.hubUrl}
                </dd>
              </div>
              <div>
                <dt>{t('devices.deviceName')}</dt>
                <dd>{status.deviceName ?? '—'}</dd>
              </div>
              <div>
                <dt>{t('devices.deviceId')}</dt>
                <dd className="mono">{status.deviceId ?? '—'}</dd>
              </div>
            </dl>
          </section>
          <ErrorAlert>{error}</ErrorAlert>
          <DeviceList devices={devices} onChanged={() => void loadDevices()} />
          <InviteDevice hubUrl={status.hubUrl ?? ''} onInvited={() => void loadDevices()} />
        </>
      ) : null}
    </div>
  );
}
