/**
 * Bypass attempts through IPC (issue 3 §11): the real Electron IPC entry (registerIpc → handleInvoke) in front of a
 * real core. A user of a limited role forges payloads a hacked window could send; each is refused by the contract
 * (VALIDATION) or by the services (FORBIDDEN / NOT_FOUND), and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { registerIpc } from '../../main/ipc/register';
import { SavePathGrants } from '../../main/ipc/grants';
import { IPC_INVOKE } from '../../main/preload/ipcNames';
import { dispatch } from '../../main/core/dispatch';
import { newTestCore, PASSWORD, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
const APP = 'app://solidariciel/index.html';

describe('forged IPC payloads against a real core', () => {
  let t: TestCore;
  let ipc: (channel: string, payload: unknown) => Promise<{ ok: boolean; error?: { code: string; message: string }; value?: unknown }>;
  let ids: { g: string; inGroup: string; outside: string; adminNote: string; adminPaper: string; adminTask: string; volunteer: string; requestId: string };

  beforeAll(async () => {
    t = await newTestCore();
    const handlers = new Map<string, Handler>();
    registerIpc({ handle: (c: string, h: Handler) => void handlers.set(c, h), removeHandler: vi.fn() } as never, {
      dialogs: { chooseFolder: vi.fn(), chooseSavePath: vi.fn() },
      core: { request: (channel, payload, options) => dispatch(t.core.handlers, channel, payload, { emit: (name, p) => options?.onEvent?.(name, p) }) },
      grants: new SavePathGrants(),
    });
    const event = { senderFrame: { url: APP }, sender: { isDestroyed: () => false, send: () => undefined } } as unknown as IpcMainInvokeEvent;
    ipc = (channel, payload) => handlers.get(IPC_INVOKE)!(event, channel, payload) as never;

    const g = (await t.call('groups:create', { name: 'Antenne' })).id;
    const inGroup = (await t.call('people:create', { person: { firstName: 'Dans', lastName: 'Legroupe' } })).id;
    const outside = (await t.call('people:create', { person: { firstName: 'Hors', lastName: 'Groupe' } })).id;
    await t.call('people:setGroups', { personId: inGroup, groupIds: [g] });
    const adminNote = (await t.call('notes:add', { personId: inGroup, text: 'Réservé à l’administrateur', visibility: { kind: 'me' } })).id;
    const adminPaper = (
      await t.call('vault:addDocument', {
        personId: inGroup,
        meta: { type: 'passeport', visibility: { kind: 'me' } },
        files: [{ name: 'p.pdf', bytes: (await import('../helpers/core')).fixture('scans', 'attestation-caf-2pages.pdf') }],
      })
    ).id;
    const adminTask = (await t.call('tasks:create', { task: { title: 'Tâche privée', visibility: { kind: 'me' } } })).id;
    const volunteer = await addUser(t, 'vera', 'volunteer', [g]);
    await t.call('session:requestAccount', { dir: t.dir, name: 'intrus', password: PASSWORD });
    const requestId = (await t.call('users:requests', {})).items[0]!.id;
    ids = { g, inGroup, outside, adminNote, adminPaper, adminTask, volunteer, requestId };
    await switchTo(t, 'vera');
  }, 60_000);
  afterAll(async () => t.cleanup());

  const refused = async (channel: string, payload: unknown, code: string) => {
    const r = await ipc(channel, payload);
    expect(r, `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code } });
    return r.error!.message;
  };

  it('a volunteer cannot promote themselves, approve a request, edit roles or read the audit trail', async () => {
    expect(await refused('users:update', { id: ids.volunteer, roleId: 'admin' }, 'FORBIDDEN')).toContain('users.manage');
    await refused('users:approve', { requestId: ids.requestId, roleId: 'admin', groupIds: [] }, 'FORBIDDEN');
    await refused('roles:save', { id: 'volunteer', name: 'Bénévole', permissions: ['people.read', 'users.manage'] }, 'FORBIDDEN');
    await refused('audit:list', {}, 'FORBIDDEN');
    await refused('db:rawCopy', { out: '/tmp/copie.sqlite' }, 'FORBIDDEN');
    expect((await t.call('session:current', {}))?.user.roleId).toBe('volunteer');
  });

  it('hostile shapes are refused by the contract before any service runs', async () => {
    await refused('notes:add', { personId: ids.inGroup, text: 'x', visibility: { kind: 'groups', groupIds: [] } }, 'VALIDATION');
    await refused('notes:add', { personId: ids.inGroup, text: 'x', visibility: { kind: 'everyone', groupIds: [ids.g] } }, 'VALIDATION');
    await refused('notes:add', { personId: ids.inGroup, text: 'x', visibility: { kind: 'admins' } }, 'VALIDATION');
    await refused('roles:save', { id: 'x', name: 'x', permissions: ['everything'] }, 'VALIDATION');
    await refused('users:update', { id: 'not-a-uuid', roleId: 'admin' }, 'VALIDATION');
    await refused('session:current', { userId: ids.volunteer }, 'VALIDATION');
    await refused('notes:list', JSON.parse('{"__proto__": {"isAdmin": true}, "personId": 42}'), 'VALIDATION');
  });

  it('a forged author is ignored: the note is the session user’s', async () => {
    const r = await ipc('notes:add', { personId: ids.inGroup, text: 'Note de Véra', visibility: { kind: 'everyone' }, authorId: '0192f5a0-7b1c-7d3e-8f00-123456789abc' });
    expect(r.ok).toBe(true);
    const list = (await ipc('notes:list', { personId: ids.inGroup })) as { value: { items: { text: string; authorId: string }[] } };
    expect(list.value.items.find((n) => n.text === 'Note de Véra')?.authorId).toBe(ids.volunteer);
  });

  it('ids of things the volunteer may not see answer as if they did not exist', async () => {
    await refused('people:get', { id: ids.outside }, 'NOT_FOUND');
    await refused('notes:list', { personId: ids.outside }, 'NOT_FOUND');
    await refused('notes:add', { personId: ids.outside, text: 'x', visibility: { kind: 'everyone' } }, 'NOT_FOUND');
    await refused('notes:history', { id: ids.adminNote }, 'NOT_FOUND');
    await refused('notes:revise', { id: ids.adminNote, text: 'réécrit' }, 'NOT_FOUND');
    await refused('vault:readDocument', { id: ids.adminPaper }, 'FORBIDDEN'); // volunteers have no documents.read at all
    await refused('tasks:setStatus', { id: ids.adminTask, status: 'done' }, 'NOT_FOUND');
    const people = (await ipc('people:search', { query: 'Groupe' })) as { value: { items: { id: string }[] } };
    expect(people.value.items.map((p) => p.id)).toEqual([ids.inGroup]);
  });
});
