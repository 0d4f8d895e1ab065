// The ? overlay: every player key and what it does.

import { KEY_HELP } from '../state/keymap';
import { useI18n } from '../i18n/i18n';
import { Dialog } from './Dialog';

export function KeyHelp({ close, live }: { close: () => void; live: boolean }) {
  const { t } = useI18n();
  return (
    <Dialog testId="key-help" title={t('keys.title')} onCancel={close}>
      {live && <p className="muted">{t('keys.liveNote')}</p>}
      <dl className="help-keys">
        {KEY_HELP.map(([keys, what]) => (
          <div key={keys} className="help-key">
            <dt>{keys}</dt>
            <dd>{t(what)}</dd>
          </div>
        ))}
      </dl>
      <div className="form-actions">
        <button onClick={close} data-initial-focus data-testid="key-help-close">
          {t('keys.closeButton')}
        </button>
      </div>
    </Dialog>
  );
}
