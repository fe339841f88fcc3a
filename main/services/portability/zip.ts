/**
 * ZIP in memory for a person's export: written with yazl, read with yauzl (both well kept; no file touches the disk).
 * Reading caps the number of entries and their total uncompressed size (a ZIP bomb ends with a clear error), and
 * refuses names with `..`, absolute paths or backslashes (they are only ever map keys here, but such an archive was
 * not made by Solidariciel).
 */
import { Buffer } from 'node:buffer';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { AppError } from '../../../shared/domain/errors';

/** A ZIP of the given files, in order (fixed date: two exports of the same data hash the same). */
export async function writeZip(files: readonly { path: string; bytes: Uint8Array }[], mtime: Date): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addBuffer(Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength), f.path, { mtime, compress: !f.path.endsWith('.pdf') });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

const MAX_ENTRIES = 10_000;

/**
 * The files of a ZIP, by name. `maxBytes`: total uncompressed bytes allowed.
 * @throws AppError VALIDATION « archive illisible » (not a ZIP, damaged) or naming the entry refused.
 */
export function readZip(bytes: Uint8Array, maxBytes: number): Promise<Map<string, Buffer>> {
  const bad = (why: string) => new AppError('VALIDATION', `Archive illisible : ${why}. Rien n’a été importé.`);
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(bad(err?.message ?? 'ce n’est pas un fichier ZIP'));
      const files = new Map<string, Buffer>();
      let total = 0;
      zip.on('error', (e: Error) => reject(bad(e.message)));
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (name.endsWith('/')) return zip.readEntry();
        if (files.size >= MAX_ENTRIES) return reject(bad(`plus de ${MAX_ENTRIES} fichiers`));
        if (name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) return reject(bad(`nom de fichier refusé « ${name} »`));
        total += entry.uncompressedSize;
        if (total > maxBytes) return reject(bad(`contenu trop volumineux (plus de ${Math.round(maxBytes / 1048576)} Mo décompressés)`));
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(bad(`fichier « ${name} » illisible`));
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('error', (se: Error) => reject(bad(`fichier « ${name} » : ${se.message}`)));
          stream.on('end', () => {
            files.set(name, Buffer.concat(parts));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
