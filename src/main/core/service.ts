/**
 * The one service object every face drives (Electron IPC, the loopback test bridge), as the faces
 * and their fakes see it: the public methods of the Core facade (core.ts), declared there once,
 * but for the CLI's one-shot drain.
 */
import type { Core } from './core';

export type { CoreEvents } from './events';

export type TradebellCore = Omit<Core, 'drain'>;
