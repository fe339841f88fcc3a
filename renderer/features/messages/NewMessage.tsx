/**
 * « Nouveau message »: a recipient (a user, a group, or a support circle the user may see) and the text. Writing to a
 * user reuses the conversation the two already have. The recipient travels as `user:<id>`, `group:<id>` or
 * `circle:<id>` in the select.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { messageText, type Recipient } from '../../../shared/domain/message';
import { invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useZodForm } from '../../app/useZodForm';
import { ErrorAlert } from '../../components/Alert';
import { errorOf, FormTextArea } from '../../components/FormField';
import { CheckboxField, SelectField } from '../../components/Field';
import { useDirectory } from '../access/useDirectory';

const schema = z.object({ to: z.string().regex(/^(user|group|circle):/, 'Choisissez un destinataire'), text: messageText, history: z.boolean() });

function recipientOf(value: string): Recipient {
  const [kind, id] = value.split(':') as ['user' | 'group' | 'circle', string];
  if (kind === 'user') return { kind, userId: id };
  if (kind === 'group') return { kind, groupId: id };
  return { kind, circleId: id };
}

export function NewMessage({ onSent }: { onSent(conversationId: string): Promise<void> }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const { users, groups } = useDirectory();
  const [circles, setCircles] = useState<{ id: string; name: string }[]>([]);
  const { form, busy, rootError, submit } = useZodForm(schema, { to: '', text: '', history: false });

  useEffect(() => {
    let alive = true;
    // Circles are listed to those who may see them (volunteers.read); others simply get none.
    void invoke('circles:list', {}).then(
      (r) => alive && setCircles(r.items.map((c) => ({ id: c.id, name: c.name }))),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, []);

  const send = submit(async ({ to, text, history }) => {
    const recipient = recipientOf(to);
    // An open conversation is a new one (the pair's usual conversation keeps its own choice).
    const target: Recipient = recipient.kind === 'user' && history ? { kind: 'conversation', conversationId: (await invoke('messages:start', { userIds: [recipient.userId], history: true })).conversationId } : recipient;
    const r = await invoke('messages:send', { to: target, text });
    form.reset({ to: '', text: '', history: false });
    announce(t('messages.sent'));
    await onSent(r.conversationId);
  });

  return (
    <form className="new-message card stack" onSubmit={(e) => void send(e)} noValidate aria-labelledby="new-message-title">
      <h3 id="new-message-title">{t('messages.new')}</h3>
      {rootError ? <ErrorAlert>{rootError}</ErrorAlert> : null}
      <SelectField label={t('messages.to')} error={errorOf(form, 'to')} {...form.register('to')}>
        <option value="">{t('messages.choose')}</option>
        {users?.length ? (
          <optgroup label={t('messages.users')}>
            {users.map((u) => (
              <option key={u.id} value={`user:${u.id}`}>
                {u.name}
              </option>
            ))}
          </optgroup>
        ) : null}
        {groups?.length ? (
          <optgroup label={t('messages.groups')}>
            {groups.map((g) => (
              <option key={g.id} value={`group:${g.id}`}>
                {g.name}
              </option>
            ))}
          </optgroup>
        ) : null}
        {circles.length ? (
          <optgroup label={t('messages.circles')}>
            {circles.map((c) => (
              <option key={c.id} value={`circle:${c.id}`}>
                {c.name}
              </option>
            ))}
          </optgroup>
        ) : null}
      </SelectField>
      <FormTextArea form={form} name="text" label={t('messages.text')} rows={3} />
      {form.watch('to').startsWith('user:') ? <CheckboxField label={t('messages.history')} {...form.register('history')} /> : null}
      <button type="submit" className="button primary" aria-disabled={busy ? true : undefined}>
        {t('messages.send')}
      </button>
    </form>
  );
}
