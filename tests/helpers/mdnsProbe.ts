/**
 * Run by tests/unit/scan/mdns.test.ts inside a network namespace (`ip netns exec NS tsx tests/helpers/mdnsProbe.ts`):
 * starts the test eSCL server on 127.0.0.1, advertises it by mDNS as `_uscan._tcp` (TXT keys of the eSCL spec) with
 * bonjour-service, browses with the app's eSCL driver, reads the capabilities of what it found, and prints
 * `{"url", "items", "capabilities"}` as one JSON line.
 */
import { Bonjour } from 'bonjour-service';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { EsclDriver } from '../../main/scan/escl/driver';
import { startEsclServer } from './esclServer';

async function main(): Promise<void> {
  const server = await startEsclServer({ makeAndModel: 'Imprimante du couloir' });
  const advertiser = new Bonjour({}, () => undefined);
  advertiser.publish({ name: 'Imprimante du couloir', type: 'uscan', port: server.port, txt: { txtvers: '1', rs: 'eSCL', ty: 'Imprimante du couloir', is: 'platen,adf', duplex: 'T', cs: 'color,grayscale,binary', pdl: 'image/jpeg,image/png' } });
  await new Promise((r) => setTimeout(r, 300));
  const driver = new EsclDriver({ prefs: new MemoryPreferences() });
  const items = await driver.list(true);
  const found = items.find((s) => s.id.includes(`:${server.port}/`));
  const capabilities = found ? await driver.capabilities(found.id) : null;
  process.stdout.write(`${JSON.stringify({ url: server.url, items, capabilities })}\n`);
  advertiser.destroy();
  await server.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
