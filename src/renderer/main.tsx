import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider, getApi } from './api';
import { App } from './App';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ApiProvider api={getApi()}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
