// Questions a connection asks (host key, password, passphrase,
// keyboard-interactive) and the blocking warning for a changed host key.
// Secrets typed here go straight to main and are not kept in the page.

import { useState } from 'react';
import type { HostEntry, IpcError, Prompt, PromptAnswer } from '../../electron/ipc';
import { useI18n } from '../i18n/i18n';
import { inline } from './Narration';
import { Dialog } from './Dialog';

export function PromptDialog({ prompt, host, canRemember, answer }: { prompt: Prompt; host: HostEntry | undefined; canRemember: boolean; answer: (a: PromptAnswer) => void }) {
  const { t } = useI18n();
  const [values, setValues] = useState<string[]>([]);
  const [remember, setRemember] = useState(false);
  const set = (i: number, v: string) => setValues((old) => Object.assign([...old], { [i]: v }));

  if (prompt.kind === 'host-key') {
    // Keys of another type are recorded: not a first contact. OpenSSH's warning, and cancel is the default.
    const other = prompt.otherTypes.length > 0;
    const onCancel = () => answer({ kind: 'host-key', decision: 'cancel' });
    const cancel = (
      <button className={other ? 'primary' : undefined} onClick={onCancel} data-testid="trust-cancel" data-initial-focus>
        {t('prompt.cancel')}
      </button>
    );
    return (
      <Dialog testId="prompt-host-key" title={other ? `⚠ ${t('prompt.hostKey.otherTypes.title')}` : t('prompt.hostKey.title')} onCancel={onCancel} danger={other} alert>
        <p>{t(other ? 'prompt.hostKey.otherTypes.body' : 'prompt.hostKey.body', { host: prompt.host })}</p>
        {prompt.warning && (
          <pre className="host-key-warning" data-testid="host-key-warning">
            {prompt.warning}
          </pre>
        )}
        <p className="fingerprint" data-testid="fingerprint">
          {prompt.keyType} <code>{prompt.fingerprint}</code>
        </p>
        <div className="form-actions">
          {other && cancel}
          <button onClick={() => answer({ kind: 'host-key', decision: 'once' })} data-testid="trust-once">
            {t('prompt.hostKey.once')}
          </button>
          <button className={other ? undefined : 'primary'} onClick={() => answer({ kind: 'host-key', decision: 'remember' })} data-testid="trust-remember">
            {t('prompt.hostKey.remember')}
          </button>
          {!other && cancel}
        </div>
      </Dialog>
    );
  }

  if (prompt.kind === 'keyboard-interactive') {
    const cancel = () => answer({ kind: 'keyboard-interactive', responses: null });
    return (
      <Dialog testId="prompt-kbd" title={t('prompt.kbd.title', { host: prompt.host })} onCancel={cancel}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            answer({ kind: 'keyboard-interactive', responses: prompt.prompts.map((_, i) => values[i] ?? '') });
          }}
        >
          {prompt.name && <p>{prompt.name}</p>}
          {prompt.instructions && <p className="muted">{prompt.instructions}</p>}
          {prompt.prompts.map((q, i) => (
            <label key={i}>
              {q.prompt || t('prompt.kbd.answer', { n: i + 1 })}
              <input data-initial-focus={i === 0 ? true : undefined} type={q.echo ? 'text' : 'password'} value={values[i] ?? ''} onChange={(e) => set(i, e.currentTarget.value)} />
            </label>
          ))}
          <div className="form-actions">
            <button type="submit" className="primary">
              {t('prompt.ok')}
            </button>
            <button type="button" onClick={cancel}>
              {t('prompt.cancel')}
            </button>
          </div>
        </form>
      </Dialog>
    );
  }

  const title = prompt.kind === 'password' ? t('prompt.password.title', { host: prompt.host }) : t('prompt.passphrase.title', { keyFile: prompt.keyFile });
  const offerRemember = canRemember && host?.rememberSecret === true;
  const cancel = () => answer({ kind: 'secret', value: null, remember: false });
  return (
    <Dialog testId={`prompt-${prompt.kind}`} title={title} onCancel={cancel}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          answer({ kind: 'secret', value: values[0] ?? '', remember: offerRemember && remember });
        }}
      >
        <label>
          {prompt.kind === 'password' ? t('prompt.password.label') : t('prompt.passphrase.label')}
          <input data-initial-focus type="password" autoComplete="off" data-testid="secret" value={values[0] ?? ''} onChange={(e) => set(0, e.currentTarget.value)} />
        </label>
        {offerRemember && (
          <label className="check">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} /> {t('prompt.remember')}
          </label>
        )}
        <div className="form-actions">
          <button type="submit" className="primary">
            {t('prompt.ok')}
          </button>
          <button type="button" onClick={cancel}>
            {t('prompt.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Blocking: nothing else can be done until it is acknowledged. */
export function HostKeyChanged({ error, close }: { error: IpcError; close: () => void }) {
  const { t } = useI18n();
  const host = error.data?.host ?? '';
  return (
    <Dialog testId="host-key-changed" title={`⚠ ${t('hostKeyChanged.title')}`} onCancel={close} danger alert>
      <p>{t('hostKeyChanged.body', { host })}</p>
      <table className="fingerprints">
        <tbody>
          <tr>
            <th>{t('hostKeyChanged.presented')}</th>
            <td>
              {error.data?.keyType} <code data-testid="presented-fingerprint">{error.data?.fingerprint}</code>
            </td>
          </tr>
          {error.data?.recorded && (
            <tr>
              <th>{t('hostKeyChanged.recorded')}</th>
              <td>
                <code>{error.data.recorded}</code>
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p>{inline(t('hostKeyChanged.next', { host: error.data?.knownHostsName ?? host }))}</p>
      <div className="form-actions">
        <button className="danger" onClick={close} data-testid="host-key-changed-close" data-initial-focus>
          {t('hostKeyChanged.close')}
        </button>
      </div>
    </Dialog>
  );
}
