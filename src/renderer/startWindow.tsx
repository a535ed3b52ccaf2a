import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { TradebellApi } from '../shared/api';
import { ApiProvider } from './api';
import { App } from './App';
import { readStartup } from './startup';

/**
 * Mounts the window in `element` once its first reads are here (startup.ts). It renders at once,
 * in the task that brought the reads (or ran the page's script, when they came first), rather than
 * in a scheduler task queued behind the page's other work: the rows are in the page when this
 * resolves (B4 in docs/benchmarks.md).
 */
export async function startWindow(element: Element, api: TradebellApi): Promise<Root> {
  const root = createRoot(element);
  const startup = await readStartup(api);
  flushSync(() =>
    root.render(
      <StrictMode>
        <ApiProvider api={api}>
          <App startup={startup} />
        </ApiProvider>
      </StrictMode>,
    ),
  );
  return root;
}
