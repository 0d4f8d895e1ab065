// The scenario library: bundled and user scenarios, each with its steps and
// narration; parameters can be edited before a run on a connected host.

import { useEffect, useState } from 'react';
import type { HostEntry, ScenarioSummary } from '../../electron/ipc';
import { useI18n } from '../i18n/i18n';
import { Narration } from './Narration';

export interface RunRequest {
  hostId: string;
  scenario: ScenarioSummary;
  params: Record<string, string | number>;
  pauseBetweenSteps: boolean;
}

export interface ScenariosProps {
  scenarios: ScenarioSummary[] | null;
  connected: HostEntry[];
  run: (r: RunRequest) => void;
  /** The user's own scenario folder (null: the app has none). */
  folder: string | null;
  reload: () => void;
}

export function ScenariosView({ scenarios, connected, run, folder, reload }: ScenariosProps) {
  const { t, pick } = useI18n();
  const [selected, setSelected] = useState<string | null>(null);
  const s = scenarios?.find((x) => x.id === selected) ?? scenarios?.[0] ?? null;
  const head = (
    <div className="folder-row" data-testid="scenario-folder">
      <h2>{t('scenarios.heading')}</h2>
      <span className="muted">{folder ? t('scenarios.folder', { folder }) : t('scenarios.noFolder')}</span>
      <button onClick={reload} data-testid="reload-scenarios">
        ⟳ {t('scenarios.reload')}
      </button>
    </div>
  );
  if (scenarios && scenarios.length === 0)
    return (
      <div data-testid="scenarios-view">
        {head}
        <p className="muted">{t('scenarios.none')}</p>
      </div>
    );
  return (
    <div data-testid="scenarios-view">
      {head}
      <div className="scenarios">
        <ul className="scenario-list" aria-label={t('scenarios.heading')}>
          {scenarios?.map((x) => (
            <li key={x.id}>
              <button className="scenario-item" aria-current={x.id === s?.id} onClick={() => setSelected(x.id)} data-testid={`scenario-${x.id}`}>
                <span className="scenario-title">{pick(x.title)}</span>
                <br />
                <span className="muted small">
                  {x.id} · {x.source === 'bundled' ? t('scenarios.bundled') : t('scenarios.user')}
                  {x.invalid ? ` · ✗ ${t('scenarios.invalidShort')}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {s && <ScenarioDetail key={s.id} s={s} connected={connected} run={run} />}
      </div>
    </div>
  );
}

function ScenarioDetail({ s, connected, run }: { s: ScenarioSummary; connected: HostEntry[]; run: (r: RunRequest) => void }) {
  const { t, pick } = useI18n();
  const [params, setParams] = useState<Record<string, string>>(() => Object.fromEntries(s.params.map((p) => [p.name, String(p.default)])));
  const [hostId, setHostId] = useState<string>(connected[0]?.id ?? '');
  const [pause, setPause] = useState(true);
  useEffect(() => {
    if (!connected.some((h) => h.id === hostId)) setHostId(connected[0]?.id ?? '');
  }, [connected, hostId]);
  return (
    <div className="scenario-detail">
      <h2>{pick(s.title)}</h2>
      <Narration text={pick(s.summary)} />
      <div className="muted small">
        {s.file} · {t('scenarios.targets')}: {s.targets.join(', ')}
      </div>
      {s.invalid && (
        <div className="error" data-code="scenario-invalid">
          <strong>{t('scenarios.invalid')}</strong> <pre>{s.invalid}</pre>
        </div>
      )}
      {s.params.length > 0 && (
        <fieldset className="params">
          <legend>{t('scenarios.params')}</legend>
          {s.params.map((p) => (
            <label key={p.name}>
              <span>
                <code>{p.name}</code> {pick(p.label)}
              </span>
              <input data-testid={`param-${p.name}`} value={params[p.name] ?? ''} onChange={(e) => setParams({ ...params, [p.name]: e.currentTarget.value })} />
            </label>
          ))}
        </fieldset>
      )}
      <div className="run-row">
        <label>
          {t('scenarios.host')}{' '}
          <select value={hostId} onChange={(e) => setHostId(e.currentTarget.value)} data-testid="run-host">
            {connected.length === 0 && <option value="">{t('scenarios.noHost')}</option>}
            {connected.map((h) => (
              <option key={h.id} value={h.id}>
                {h.kind === 'local' ? t('hosts.local') : h.label}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={pause} onChange={(e) => setPause(e.currentTarget.checked)} data-testid="pause-between" /> {t('scenarios.pause')}
        </label>
        <button
          className="primary"
          data-testid="run"
          disabled={!hostId || s.invalid !== null}
          onClick={() => run({ hostId, scenario: s, params, pauseBetweenSteps: pause })}
        >
          ▶ {t('scenarios.run')}
        </button>
      </div>
      <h3>{t('scenarios.steps')}</h3>
      <ol className="scenario-steps">
        {s.steps.map((st, i) => (
          <li key={i}>
            <strong>{pick(st.title)}</strong>
            <Narration text={pick(st.narration)} />
          </li>
        ))}
      </ol>
    </div>
  );
}
