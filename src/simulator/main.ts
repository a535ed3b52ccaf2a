/** `tsx src/simulator/main.ts --port 8787` */
import { runSimulatorCli } from './cli';

await runSimulatorCli(process.argv.slice(2));
