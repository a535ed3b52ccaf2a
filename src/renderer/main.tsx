import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider, getApi } from './api';
import { App } from './App';
import { readStartup } from './startup';
import './styles.css';

const element = document.getElementById('root');
if (!element) throw new Error('index.html has no #root');
const root = createRoot(element);
const api = getApi();
void readStartup(api).then((startup) =>
  root.render(
    <StrictMode>
      <ApiProvider api={api}>
        <App startup={startup} />
      </ApiProvider>
    </StrictMode>,
  ),
);
