/**
 * The association's devices: name (« (ce poste) » for this one), added, last seen, status, and « Retirer » after a
 * confirmation (`devices:revoke`: the hub refuses it from then on; what it already holds stays on it).
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { Badge } from '../../components/Badge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { Device } from './DevicesPage';
import { formatDateTime } from './format';

export function DeviceList({ devices, onChanged }: { devices: Device[] | null; onChanged(): void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { announce } = useAnnouncer();
  const [revoking, setRevoking] = useState<Device | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const title = useRef<HTMLHeadingElement>(null);

  function close(revoked: boolean) {
    const id = revoking?.deviceId;
    setRevoking(null);
    setError(null);
    // Back to the device's « Retirer », or to the list's title once the device is revoked (its button is gone).
    requestAnimationFrame(() => (revoked || !id ? title.current : document.getElementById(`revoke-${id}`))?.focus());
  }

  async function revoke() {
    if (!revoking) return;
    setBusy(true);
    setError(null);
    try {
      await invoke('devices:revoke', { deviceId: revoking.deviceId });
      announce(t('devices.revoked', { name: revoking.name }));
      close(true);
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="devices-list-title">
      <h2 id="devices-list-title" ref={title} tabIndex={-1}>
        {t('devices.listTitle')}
      </h2>
      {devices === null ? (
        <p className="muted">{t('app.loading')}</p>
      ) : devices.length === 0 ? (
        <p className="empty">{t('devices.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table devices-table" data-testid="devices-table">
            <caption className="visually-hidden">{t('devices.listTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('devices.name')}</th>
                <th scope="col">{t('devices.added')}</th>
                <th scope="col">{t('devices.lastSeen')}</th>
                <th scope="col">{t('devices.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => (
                <tr key={d.deviceId}>
                  <th scope="row">
                    {d.name}
                    {d.current ? <span className="muted"> {t('devices.current')}</span> : null}
                  </th>
                  <td>{formatDateTime(d.createdAt, lang)}</td>
                  <td>{d.lastSeenAt ? formatDateTime(d.lastSeenAt, lang) : <span className="muted">{t('devices.neverSeen')}</span>}</td>
                  <td>
                    {d.revokedAt ? (
                      <Badge tone="danger">{t('devices.revokedOn', { date: formatDateTime(d.revokedAt, lang) })}</Badge>
                    ) : (
                      <Badge tone="success">{t('devices.active')}</Badge>
                    )}
                  </td>
                  <td>
                    {!d.revokedAt && !d.current ? (
                      <button type="button" id={`revoke-${d.deviceId}`} className="button secondary small" onClick={() => setRevoking(d)}>
                        {t('devices.revoke')}
                        <span className="visually-hidden"> {d.name}</span>
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking ? (
        <ConfirmDialog
          title={t('devices.revokeTitle', { name: revoking.name })}
          confirmLabel={t('devices.revokeConfirm')}
          busy={busy}
          error={error}
          onConfirm={() => void revoke()}
          onCancel={() => close(false)}
        >
          <p>{t('devices.revokeBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
