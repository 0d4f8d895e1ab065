// Hosts: the list (this computer + saved SSH hosts), add/edit with an alias
// picker from ~/.ssh/config, connect with visible progress, and the probe's
// host card.

import { useEffect, useId, useState } from 'react';
import type { ConnectStage, HostEntry, HostInput, Settings, SshAlias } from '../../electron/ipc';
import type { HostFacts } from '../../electron/lab/host/facts';
import { formatBytes } from '../format';
import { useI18n } from '../i18n/i18n';
import { Dialog } from './Dialog';
import { ErrorDetail } from './Errors';
import { HostKills } from './HostKills';
import type { HostKillList } from '../../electron/lab/kernel/host-kills';

export interface HostStatus {
  stage: ConnectStage;
  message: string | null;
  facts: HostFacts | null;
}

export interface HostsProps {
  hosts: HostEntry[];
  status: Record<string, HostStatus>;
  settings: Settings | null;
  connect(id: string): void;
  /** Also cancels a connect that is still going (main aborts it). */
  disconnect(id: string): void;
  save(h: HostInput): Promise<boolean>;
  remove(id: string): void;
  forgetSecret(id: string): void;
  loadAliases(): Promise<SshAlias[]>;
  /** The native file dialog for an identity file; null when cancelled. */
  /** Absent where no file dialog can give a path (`oomlab ui` in a browser). */
  pickIdentity?: () => Promise<string | null>;
  /** The kills in a connected host's kernel log (listHostKills). */
  loadKills?: (hostId: string) => Promise<HostKillList | undefined>;
}

export function HostsView(p: HostsProps) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<HostEntry | 'new' | null>(null);
  const [removing, setRemoving] = useState<HostEntry | null>(null);
  return (
    <div className="hosts" data-testid="hosts-view">
      <div className="view-head">
        <h2>{t('hosts.heading')}</h2>
        <button className="primary" onClick={() => setEditing('new')} data-testid="add-host">
          + {t('hosts.add')}
        </button>
      </div>
      {editing && (
        <HostForm
          initial={editing === 'new' ? null : editing}
          settings={p.settings}
          loadAliases={p.loadAliases}
          pickIdentity={p.pickIdentity}
          onCancel={() => setEditing(null)}
          onSave={async (h) => {
            if (await p.save(h)) setEditing(null);
          }}
        />
      )}
      <div className="host-list">
        {p.hosts.map((h) => {
          const st = p.status[h.id] ?? { stage: 'disconnected', message: null, facts: null };
          const busy = st.stage === 'connecting' || st.stage === 'authenticating' || st.stage === 'probing';
          return (
            <div key={h.id} className="host" data-testid={`host-${h.id}`} data-stage={st.stage}>
              <div className="host-row">
                <div className="host-name">
                  <strong>{h.kind === 'local' ? t('hosts.local') : h.label}</strong>{' '}
                  <span className="muted">{h.kind === 'local' ? t('hosts.localNote') : h.target}</span>
                </div>
                <div className={`stage stage-${st.stage}`} data-testid="stage">
                  {busy && <span className="spinner" />} {t(`stage.${st.stage}`)}
                </div>
                <div className="host-actions">
                  {st.stage === 'connected' ? (
                    <button onClick={() => p.disconnect(h.id)}>{t('hosts.disconnect')}</button>
                  ) : busy ? (
                    <button onClick={() => p.disconnect(h.id)} data-testid="cancel-connect">
                      {t('hosts.cancelConnect')}
                    </button>
                  ) : (
                    <button className="primary" disabled={busy} onClick={() => p.connect(h.id)} data-testid="connect">
                      {t('hosts.connect')}
                    </button>
                  )}
                  {h.kind === 'ssh' && (
                    <>
                      <button onClick={() => setEditing(h)}>{t('hosts.edit')}</button>
                      <button onClick={() => setRemoving(h)} data-testid="remove-host">
                        {t('hosts.remove')}
                      </button>
                      {h.hasSavedSecret && <button onClick={() => p.forgetSecret(h.id)}>{t('hosts.forgetSecret')}</button>}
                    </>
                  )}
                </div>
              </div>
              {st.stage === 'failed' && st.message && (
                <div className="host-error" role="status">
                  <ErrorDetail message={st.message} />
                </div>
              )}
              {st.facts && <HostCard facts={st.facts} />}
              {st.facts && p.loadKills && <HostKills hostId={h.id} load={p.loadKills} />}
            </div>
          );
        })}
      </div>
      {removing && (
        <Dialog testId="confirm-remove" title={t('hosts.removeTitle', { host: removing.label })} onCancel={() => setRemoving(null)} alert>
          <p>{t('hosts.removeBody', { host: removing.label, target: removing.target })}</p>
          <div className="form-actions">
            <button
              className="danger"
              data-testid="confirm-remove-yes"
              onClick={() => {
                p.remove(removing.id);
                setRemoving(null);
              }}
            >
              {t('hosts.removeConfirm')}
            </button>
            <button data-initial-focus onClick={() => setRemoving(null)} data-testid="confirm-remove-no">
              {t('hosts.form.cancel')}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

export function HostCard({ facts }: { facts: HostFacts }) {
  const { t } = useI18n();
  const tools = Object.entries(facts.tools);
  return (
    <div className="host-card" data-testid="host-card">
      <dl>
        <dt>{t('card.kernel')}</dt>
        <dd>
          {facts.kernel} ({facts.arch})
        </dd>
        <dt>{t('card.distro')}</dt>
        <dd>{facts.distro ?? '—'}</dd>
        <dt>{t('card.cgroup')}</dt>
        <dd>
          {facts.cgroup} · {facts.memoryMount ?? '—'} · {facts.canCreateCgroup ? t('card.canCreate') : t('card.cannotCreate')}
          {facts.cgroup !== 'v2' && facts.memswAccounting ? ' · memsw' : ''}
        </dd>
        <dt>{t('card.memory')}</dt>
        <dd>{t('card.available', { avail: formatBytes(facts.memAvailableBytes), total: formatBytes(facts.memTotalBytes) })}</dd>
        <dt>{t('card.swap')}</dt>
        <dd>{facts.swapTotalBytes > 0 ? formatBytes(facts.swapTotalBytes) : t('card.none')}</dd>
        <dt>{t('card.privileges')}</dt>
        <dd>{facts.root ? t('card.root') : facts.sudo ? t('card.sudo') : t('card.noRoot')}</dd>
        <dt>{t('card.kernelLog')}</dt>
        <dd>{facts.kernelLog.length ? facts.kernelLog.join(', ') : t('card.none')}</dd>
        <dt>{t('card.tools')}</dt>
        <dd className="tools">
          {tools.map(([name, v]) => (
            <span key={name} className={v ? 'tool ok' : 'tool missing'}>
              {v ? '✓' : '✗'} {name}
              {typeof v === 'string' ? ` ${v}` : ''}
            </span>
          ))}
        </dd>
      </dl>
      <div className="problems">
        <strong>{t('card.problems')}</strong>
        {facts.problems.length === 0 ? (
          <p className="ok">{t('card.noProblems')}</p>
        ) : (
          <ul>
            {facts.problems.map((x, i) => (
              <li key={i}>{x}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function HostForm({
  initial,
  settings,
  loadAliases,
  pickIdentity,
  onCancel,
  onSave,
}: {
  initial: HostEntry | null;
  settings: Settings | null;
  loadAliases: () => Promise<SshAlias[]>;
  pickIdentity?: () => Promise<string | null>;
  onCancel: () => void;
  onSave: (h: HostInput) => void;
}) {
  const { t } = useI18n();
  const [label, setLabel] = useState(initial?.label ?? '');
  const [target, setTarget] = useState(initial?.target ?? '');
  const [identity, setIdentity] = useState(initial?.identityFile ?? '');
  const [useAgent, setUseAgent] = useState(initial?.useAgent ?? true);
  const [remember, setRemember] = useState(initial?.rememberSecret ?? false);
  const [aliases, setAliases] = useState<SshAlias[] | null>(null);
  const formId = useId();
  useEffect(() => {
    void loadAliases().then(setAliases);
  }, [loadAliases]);
  const canRemember = settings?.secretStorageAvailable === true;
  return (
    <form
      className="host-form"
      data-testid="host-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave({
          ...(initial ? { id: initial.id } : {}),
          label: label.trim() || target,
          target: target.trim(),
          identityFile: identity.trim() || null,
          useAgent,
          rememberSecret: remember && canRemember,
        });
      }}
    >
      <label>
        {t('hosts.form.alias')}
        <select
          value=""
          onChange={(e) => {
            const a = aliases?.find((x) => x.alias === e.currentTarget.value);
            if (!a) return;
            setTarget(a.alias);
            if (!label) setLabel(a.alias);
            if (a.identityFile && !identity) setIdentity(a.identityFile);
          }}
        >
          <option value="">{aliases && aliases.length === 0 ? t('hosts.form.noAliases') : '—'}</option>
          {aliases?.map((a) => (
            <option key={a.alias} value={a.alias}>
              {a.alias}
              {a.hostName ? ` (${a.user ? `${a.user}@` : ''}${a.hostName}${a.port ? `:${a.port}` : ''})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('hosts.form.target')}
        <input data-testid="host-target" value={target} onChange={(e) => setTarget(e.currentTarget.value)} required placeholder="root@labvm:22" />
      </label>
      <label>
        {t('hosts.form.label')}
        <input data-testid="host-label" value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
      </label>
      <div>
        <label htmlFor={`${formId}-identity`}>{t('hosts.form.identity')}</label>
        <div className="identity-row">
          <input id={`${formId}-identity`} data-testid="host-identity" value={identity} onChange={(e) => setIdentity(e.currentTarget.value)} placeholder="~/.ssh/id_ed25519" />
          {pickIdentity && (
            <button type="button" data-testid="pick-identity" onClick={() => void pickIdentity().then((path) => path && setIdentity(path))}>
              {t('hosts.form.browse')}
            </button>
          )}
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={useAgent} onChange={(e) => setUseAgent(e.currentTarget.checked)} /> {t('hosts.form.agent')}
      </label>
      <label className="check">
        <input type="checkbox" disabled={!canRemember} checked={remember && canRemember} onChange={(e) => setRemember(e.currentTarget.checked)} />{' '}
        {t('hosts.form.remember')}
      </label>
      {!canRemember && <div className="muted small">{t(settings?.secretStorageProblem === 'no-keyring' ? 'hosts.form.rememberNoKeyring' : 'hosts.form.rememberUnavailable')}</div>}
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="save-host">
          {t('hosts.form.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('hosts.form.cancel')}
        </button>
      </div>
    </form>
  );
}
