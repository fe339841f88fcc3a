/** The files a paper can be made of (the core assembles them into one PDF: main/vault/assemble.ts), and sending them. */
import { newOperationId, on } from '../../api/client';

const EXTENSIONS = ['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.heic', '.heif', '.pdf'];

/** The `accept` attribute of a file input for a paper (docs/file-kinds.md). */
export const PAPER_FILE_ACCEPT = '.jpg,.jpeg,.png,.tif,.tiff,.heic,.heif,.pdf,image/jpeg,image/png,image/tiff,image/heic,image/heif,application/pdf';

/** True for a file whose name says JPEG, PNG, TIFF, HEIC or PDF (its content is checked by the core). */
export const acceptedPaperFile = (f: { name: string }): boolean => EXTENSIONS.some((ext) => f.name.toLowerCase().endsWith(ext));

/** The chosen files as the contract wants them (name and bytes). */
export function filesPayload(files: readonly File[]): Promise<{ name: string; bytes: Uint8Array }[]> {
  return Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

/**
 * Runs `work` with a new operation id and reports its `vault:progress` events (stage counts) to `onProgress`,
 * starting at 0 of 0, until `work` settles.
 */
export async function withVaultProgress<T>(onProgress: (p: { done: number; total: number }) => void, work: (operationId: string) => Promise<T>): Promise<T> {
  const operationId = newOperationId();
  onProgress({ done: 0, total: 0 });
  const off = on('vault:progress', (p) => {
    if (p.operationId === operationId) onProgress({ done: p.done, total: p.total });
  });
  try {
    return await work(operationId);
  } finally {
    off();
  }
}
