/** `window.tradebell`, exposed by the preload (src/preload/api.ts). */
import type { TradebellApi } from './api';

declare global {
  interface Window {
    tradebell: TradebellApi;
  }
}

export {};
