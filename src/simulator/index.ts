export type { Fault, RemarkRecord, SimEndpoint, SimMessage, Simulator, SimulatorOptions } from './types';
export { startSimulator, authUrl, PUB_APP_KEY, ROUTES } from './server';
export { DEMO_SHOPS, DEMO_TOKEN, DEMO_TOP_APP_KEY, DEMO_TOP_SECRET } from '../shared/demo';
export { runSimulatorCli, parseSimulatorArgs, SIMULATOR_USAGE, type CliIo, type SimulatorCliConfig } from './cli';
export {
  generateTraffic,
  planTraffic,
  memoModifiedMessage,
  shopIdentity,
  TOPIC,
  type ShopIdentity,
  type TimedMessage,
  type TrafficOptions,
} from './traffic';
export { createRng, type Rng } from './rng';
export { writeJson, encodeContent, encodeMsgData, RawJson, CONTENT_ID_KEYS } from './encode';
export { DEFAULT_SUBSCRIPTIONS, PERMIT_METHOD } from './top';
