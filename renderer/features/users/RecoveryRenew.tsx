/**
 * « Nouveau code de secours » (`recovery:renew`): the old code stops working; the new one is shown once, and the
 * navigation is held until it is confirmed kept (`useHoldNavigation`).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { useHoldNavigation } from '../../app/router';
import { ErrorAlert } from '../../components/Alert';
import { RecoveryStep } from '../session/RecoveryStep';

export function RecoveryRenew() {
  const { t } = useTranslation();
  const [code, setCode] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useHoldNavigation(code !== null);

  async function renew() {
    setError(null);
    try {
      setCode((await invoke('recovery:renew', {})).recoveryCode);
      setConfirming(false);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  if (code) return <RecoveryStep code={code} onDone={() => setCode(null)} doneLabel={t('recovery.stored')} />;
  return (
    <section className="card stack" aria-labelledby="renew-title">
      <h2 id="renew-title">{t('recovery.renewTitle')}</h2>
      <p className="muted">{t('recovery.renewIntro')}</p>
      <ErrorAlert>{error}</ErrorAlert>
      <div className="actions">
        {confirming ? (
          <>
            <button type="button" className="button warning" onClick={() => void renew()}>
              {t('recovery.renewConfirm')}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </>
        ) : (
          <button type="button" className="button secondary" onClick={() => setConfirming(true)}>
            {t('recovery.renew')}
          </button>
        )}
      </div>
    </section>
  );
}
