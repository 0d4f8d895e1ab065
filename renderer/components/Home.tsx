// The start screen: connect to a host, or try without one by replaying the
// bundled recordings of real runs.

import type { DemoRecording } from '../../electron/ipc';
import { useI18n } from '../i18n/i18n';
import { formatBytes } from '../format';

export function Home({ demos, openDemo, openFile, goHosts }: { demos: DemoRecording[] | null; openDemo: (name: string) => void; openFile: () => void; goHosts: () => void }) {
  const { t, pick } = useI18n();
  return (
    <div className="home" data-testid="home">
      <h1>{t('home.heading')}</h1>
      <p>{t('home.intro')}</p>
      <div className="home-actions">
        <button className="primary" onClick={goHosts}>
          {t('home.connect')}
        </button>
        <button onClick={openFile} data-testid="open-recording">
          {t('home.open')}
        </button>
        <span className="muted">{t('home.drop')}</span>
      </div>
      <section className="demos" data-testid="demos">
        <h2>{t('home.try')}</h2>
        <p>{t('home.tryIntro')}</p>
        {demos && demos.length === 0 && <p className="muted">{t('home.noDemos')}</p>}
        <ul>
          {demos?.map((d) => (
            <li key={d.name}>
              <button className="link" onClick={() => openDemo(d.name)} data-testid={`demo-${d.name}`}>
                ▶ {pick(d.title)}
              </button>{' '}
              <span className="muted small">
                {d.name} · {formatBytes(d.bytes)}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
