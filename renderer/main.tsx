import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectConsole } from './service/connect-console';
import { consoleStore } from './store/console-store';
import { App } from './ui/App';

connectConsole(consoleStore);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
