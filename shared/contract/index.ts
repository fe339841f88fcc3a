/**
 * The contract: every channel between the renderer and the core, with its request and response schemas.
 * Channel names are `domain:verbNoun`. A channel is listed exactly once (duplicate keys fail to compile).
 */
import type { z } from 'zod';
import { sessionChannels } from './session';
import { peopleChannels } from './people';
import { importChannels } from './imports';
import { taskChannels } from './tasks';
import { vaultChannels } from './vault';
import { osChannels } from './os';
import { accessChannels } from './access';
import { syncChannels } from './sync';
import { backupChannels } from './backup';
import { erasureChannels } from './erasure';
import { duesChannels } from './dues';
import { papersChannels } from './papers';
import { agendaChannels } from './agenda';
import { engagementChannels } from './engagement';
import { volunteerChannels } from './volunteers';
import { messageChannels } from './messages';
import { receiptChannels } from './receipts';
import { ledgerChannels } from './ledger';
import { inboxChannels } from './inbox';
import { scanChannels } from './scan';
import { ocrChannels } from './ocr';
import { mrzChannels } from './mrz';
import type { WireError } from '../domain/errors';

export const coreChannels = {
  ...sessionChannels,
  ...peopleChannels,
  ...importChannels,
  ...taskChannels,
  ...vaultChannels,
  ...accessChannels,
  ...syncChannels,
  ...backupChannels,
  ...erasureChannels,
  ...duesChannels,
  ...papersChannels,
  ...agendaChannels,
  ...engagementChannels,
  ...volunteerChannels,
  ...messageChannels,
  ...receiptChannels,
  ...ledgerChannels,
  ...inboxChannels,
  ...scanChannels,
  ...ocrChannels,
  ...mrzChannels,
} as const;

export const contract = { ...coreChannels, ...osChannels } as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
/** Channels served by the core services (everything but the host's own `os:*` dialogs). */
export type CoreChannel = keyof typeof coreChannels;
export type OsChannel = keyof typeof osChannels;
/** What a caller sends (defaults may be omitted). */
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
/** What a handler receives after parsing. */
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
/** What a caller receives. */
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError };

export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

export { events } from './events';
export type { EventName, EventPayload } from './events';
