import { it } from 'vitest';
import { sleep, spawnCli, tempDir } from '../reliability/helpers';
import { GatewayProcess } from './gatewayProcess';
function busiest(at: number[]) {
  let b = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= 1000) j++;
    b = Math.max(b, i - j + 1);
  }
  return b;
}
it('no team', async () => {
  for (let rep = 0; rep < 3; rep++) {
    const gw = await GatewayProcess.start({ tokens: ['t'], shops: ['s'], serviceTimeMs: 50, seed: 14 + rep }, ['A']);
    const dir = await tempDir('scratch');
    const run = spawnCli(['watch', '--base-url', gw.proxies.A!, '--shop', 's', '--data', dir, '--mode', 'realtime'], {
      TRADEBELL_TOKEN: 't',
    });
    await sleep(4000);
    await gw.generate('s', 200);
    await sleep(6000);
    const r = await gw.report();
    console.log('busiest', busiest(r.consumeTimes), 'calls', r.consumeTimes.length);
    run.child.kill('SIGTERM');
    await run.exited;
    await gw.close();
  }
}, 120_000);
