import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getApi } from './api/client';
import { translator, systemLocale } from './i18n/i18n';
import './styles/app.css';

const root = createRoot(document.getElementById('root')!);
const api = getApi();
root.render(api ? <App api={api} /> : <p className="fatal">{translator(systemLocale(navigator.languages))('error.noBridge')}</p>);
