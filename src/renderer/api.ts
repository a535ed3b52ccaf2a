/**
 * The one way the window reaches the main process. Components take the API from a React context
 * so that component tests render them against an in-memory fake.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import type { TradebellApi } from '../shared/api';

export function getApi(): TradebellApi {
  // Typed as always there (src/shared/window.d.ts), but a page opened without the preload lacks it.
  const api = window.tradebell as TradebellApi | undefined;
  if (!api) throw new Error('window.tradebell is missing: the preload script did not run');
  return api;
}

const ApiContext = createContext<TradebellApi | null>(null);

export function ApiProvider({ api, children }: { api: TradebellApi; children?: ReactNode }) {
  return createElement(ApiContext.Provider, { value: api }, children);
}

export function useApi(): TradebellApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}
