import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './App';
import { getApi } from './api/client';
import { translator, systemLocale } from './i18n/i18n';
import './styles/app.css';

// Recordings are validated with zod here; the CSP forbids eval, so zod must not even probe for it.
z.config({ jitless: true });

const root = createRoot(document.getElementById('root')!);
// Electron's preload provides the API; served over http by `oomlab ui`, the page connects itself.
const api = getApi() ?? (location.protocol === 'http:' ? (await import('./web/bridge')).connectWebApi() : null);
root.render(api ? <App api={api} /> : <p className="fatal">{translator(systemLocale(navigator.languages))('error.noBridge')}</p>);
