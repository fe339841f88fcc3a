/** dispatch(): the single entry from any host into the core — validation, error mapping, response parsing. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch, noEvents, type HandlerContext } from '../../main/core/dispatch';
import { AppError } from '../../shared/domain/errors';
import { coreChannels } from '../../shared/contract';
import { fakeHandlers } from '../helpers/fakeCore';

const ID = '0192f5a0-7b1c-7d3e-8f00-123456789abc';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('dispatch', () => {
  it('refuses an unknown channel with VALIDATION, whatever its type', async () => {
    const handlers = fakeHandlers();
    for (const channel of ['people:nope', '__proto__', 'toString', 'constructor', 42, null, undefined]) {
      const result = await dispatch(handlers, channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });

  it('does not treat os:* channels as core channels', async () => {
    const result = await dispatch(fakeHandlers(), 'os:chooseFolder', { title: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('refuses a malformed request with VALIDATION naming the field, and never calls the handler', async () => {
    const handler = vi.fn(async () => ({ items: [], total: 0 }));
    const handlers = fakeHandlers({ 'people:search': handler });
    const result = await dispatch(handlers, 'people:search', { query: 42 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.message).toBe('Recherche : valeur non reconnue.');
    expect(result.error.fields).toEqual([{ path: 'query', message: 'Valeur non reconnue.' }]);
    expect(result.error.message).not.toContain('people:search');
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes the parsed request (defaults applied, unknown keys stripped) to the handler', async () => {
    const handler = vi.fn(async () => ({ items: [], total: 0 }));
    const handlers = fakeHandlers({ 'people:search': handler });
    const result = await dispatch(handlers, 'people:search', { query: 'Dupont', extra: 'x' });
    expect(result).toEqual({ ok: true, value: { items: [], total: 0 } });
    expect(handler).toHaveBeenCalledTimes(1);
    const got = (handler.mock.calls as unknown[][])[0]?.[0];
    expect(got).toEqual(coreChannels['people:search'].request.parse({ query: 'Dupont' }));
    expect(got).toMatchObject({ query: 'Dupont', limit: 50, includeArchived: false });
    expect(got).not.toHaveProperty('extra');
  });

  it('treats a missing payload as an empty object', async () => {
    const handler = vi.fn(async () => ({ items: [] }));
    const result = await dispatch(fakeHandlers({ 'households:list': handler }), 'households:list', undefined);
    expect(result).toEqual({ ok: true, value: { items: [] } });
  });

  it('keeps the code and message of an AppError thrown by the handler', async () => {
    const handlers = fakeHandlers({
      'people:get': async () => {
        throw new AppError('NOT_FOUND', 'Personne introuvable.');
      },
    });
    const result = await dispatch(handlers, 'people:get', { id: ID });
    expect(result).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Personne introuvable.' } });
  });

  it('turns a plain Error into INTERNAL with a generic message that leaks nothing', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const secret = 'SQLITE_CONSTRAINT: Dupont Jeanne née le 1950-01-02';
    const handlers = fakeHandlers({
      'people:get': async () => {
        throw new Error(secret);
      },
    });
    const result = await dispatch(handlers, 'people:get', { id: ID });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INTERNAL');
    expect(result.error.message).not.toContain('Dupont');
    expect(result.error.message).not.toContain('SQLITE');
    expect(result.error.message.length).toBeGreaterThan(10);
    const logged = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(logged).not.toContain('Dupont');
  });

  it('turns a thrown non-Error into INTERNAL', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const handlers = fakeHandlers({
      'people:get': async () => {
        throw 'boom Dupont';
      },
    });
    const result = await dispatch(handlers, 'people:get', { id: ID });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('Dupont');
  });

  it('parses the response: fields outside the contract are stripped', async () => {
    const handlers = fakeHandlers({
      'households:create': async () => ({ id: ID, passwordHash: 'secret', members: ['Dupont'] }) as unknown as { id: string },
    });
    const result = await dispatch(handlers, 'households:create', { name: 'Foyer Martin' });
    expect(result).toEqual({ ok: true, value: { id: ID } });
  });

  it('answers INTERNAL when the handler returns a response outside the contract', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const handlers = fakeHandlers({ 'households:create': async () => ({ id: 'pas-un-uuid' }) });
    const result = await dispatch(handlers, 'households:create', { name: 'Foyer Martin' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('pas-un-uuid');
  });

  it('gives the handler the context, whose emit reaches the caller', async () => {
    const seen: unknown[] = [];
    const ctx: HandlerContext = { emit: (event, payload) => seen.push({ event, payload }) };
    const handlers = fakeHandlers({
      'session:lock': async (_req, c) => {
        c.emit('session:locked', { reason: 'user' });
        return { locked: true };
      },
    });
    const result = await dispatch(handlers, 'session:lock', {}, ctx);
    expect(result).toEqual({ ok: true, value: { locked: true } });
    expect(seen).toEqual([{ event: 'session:locked', payload: { reason: 'user' } }]);
    // The default context is silent and does not throw.
    expect(await dispatch(handlers, 'session:lock', {}, noEvents)).toEqual({ ok: true, value: { locked: true } });
  });
});
