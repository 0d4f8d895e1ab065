// Errors from one place: every failed request lands here, shown in plain
// words with the next step to take.

import type { IpcError } from '../../electron/ipc';
import { useI18n } from '../i18n/i18n';
import { translateDetail } from '../i18n/details';

export interface ShownError {
  id: number;
  error: IpcError;
}

export function ErrorList({ errors, dismiss }: { errors: ShownError[]; dismiss: (id: number) => void }) {
  const { t } = useI18n();
  if (errors.length === 0) return null;
  return (
    <div className="errors" role="alert" data-testid="errors">
      {errors.map(({ id, error }) => {
        const next = t(`error.${error.code}.next`);
        return (
          <div key={id} className={`error error-${error.code}`} data-code={error.code}>
            <div className="error-text">
              <strong>{t(`error.${error.code}`)}</strong> <ErrorDetail message={error.message} />
              {next && <div className="error-next">{next}</div>}
            </div>
            <button onClick={() => dismiss(id)}>{t('error.dismiss')}</button>
          </div>
        );
      })}
    </div>
  );
}

/** A detail in the current language when it is one of our sentences; otherwise as it came, marked English. */
export function ErrorDetail({ message }: { message: string }) {
  const { t } = useI18n();
  const d = translateDetail(message, t);
  return (
    <span className="error-detail" data-testid="error-detail" lang={d.translated ? undefined : 'en'}>
      {d.text}
    </span>
  );
}
