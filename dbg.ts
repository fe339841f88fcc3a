import { assemblePdf } from './main/vault/assemble';
import { pngDeclaring } from './tests/helpers/hostileFiles';
for (let i = 0; i < 3; i++) {
  const t0 = Date.now();
  const e = await assemblePdf([{ name: 'a.png', bytes: pngDeclaring(30000, 30000) }]).catch((e) => e);
  console.log(Date.now() - t0, e.message.slice(0, 40));
}
