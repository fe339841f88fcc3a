/**
 * « Rejoindre une association » (issue 4 §5): this computer becomes one more device of an association that already
 * syncs. Folder (like the create form: a typed path, « Parcourir… » under Electron), the hub's address and the pairing
 * code an administrator got on a joined device → `devices:join`, with its `sync:progress` events (filtered on our
 * operation id) while the first sync runs. Then the unlock form, for that folder, with the usual name and password.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventPayload } from '../../../shared/contract';
import { invoke, newOperationId, on } from '../../api/client';
import { useSubmit } from '../../app/useSubmit';
import { ErrorAlert } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount } from '../sync/format';
import { syncChannels } from '../../../shared/contract/sync';
import { FolderField } from './FolderField';

export interface Joined {
  dir: string;
  associationName: string;
}

const KNOWN_STAGES = ['push', 'pull', 'blobs'] as const;
const isKnownStage = (s: string | undefined): s is (typeof KNOWN_STAGES)[number] => !!s && (KNOWN_STAGES as readonly string[]).includes(s);

export function JoinAssociationForm({ dir, setDir, onJoined }: { dir: string; setDir(dir: string): void; onJoined(joined: Joined): void }) {
  const { t, i18n } = useTranslation();
  const [hubUrl, setHubUrl] = useState('');
  const [code, setCode] = useState('');
  const [progress, setProgress] = useState<EventPayload<'sync:progress'> | null>(null);
  const operation = useRef<string | null>(null);
  const { busy, error, run, check, fieldErrors: errors, formRef } = useSubmit(['dir', 'hubUrl', 'code']);

  // Subscribed from the start, so that the event stream is open before the request leaves.
  useEffect(
    () =>
      on('sync:progress', (p) => {
        if (operation.current && p.operationId === operation.current) setProgress(p);
      }),
    [],
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    const operationId = newOperationId();
    if (!check(syncChannels['devices:join'].request, { dir: dir.trim(), hubUrl: hubUrl.trim(), code: code.trim(), operationId })) return;
    operation.current = operationId;
    setProgress(null);
    try {
      await run(async () => {
        const r = await invoke('devices:join', { dir: dir.trim(), hubUrl: hubUrl.trim(), code: code.trim(), operationId });
        setCode('');
        onJoined({ dir: r.dir, associationName: r.associationName });
      });
    } finally {
      operation.current = null;
    }
  }

  const stage = progress && isKnownStage(progress.stage) ? t(`sync.stages.${progress.stage}`) : t('join.receiving');
  return (
    <form ref={formRef} className="card stack" onSubmit={(e) => void submit(e)} aria-labelledby="join-title" aria-busy={busy || undefined} noValidate>
      <h2 id="join-title">{t('join.title')}</h2>
      <p className="muted">{t('join.intro')}</p>
      <FolderField id="join-dir" label={t('join.folder')} value={dir} onChange={setDir} create error={errors.dir} />
      <TextField
        label={t('devices.hubUrl')}
        hint={t('join.hubUrlHint')}
        value={hubUrl}
        onChange={(e) => setHubUrl(e.target.value)}
        type="url"
        inputMode="url"
        required
        autoComplete="url"
        spellCheck={false}
        maxLength={500}
        error={errors.hubUrl}
      />
      <TextField
        label={t('join.code')}
        hint={t('join.codeHint')}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        required
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        className="code-field"
        maxLength={40}
        error={errors.code}
      />
      {busy ? (
        progress ? (
          <ProgressBar
            label={t('sync.bar.progress', { stage, done: formatCount(progress.done, i18n.language), total: formatCount(progress.total, i18n.language) })}
            done={progress.done}
            total={progress.total}
          />
        ) : (
          <ProgressBar label={t('join.connecting')} done={0} total={0} />
        )
      ) : null}
      <ErrorAlert>{error}</ErrorAlert>
      <button type="submit" className="button primary big" aria-disabled={busy ? true : undefined}>
        {busy ? t('join.joining') : t('join.submit')}
      </button>
    </form>
  );
}
