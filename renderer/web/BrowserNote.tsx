// The line that tells a browser user what differs from the desktop app.
import type { Locale } from '../../electron/lab/events';
import { browserText } from './browser';

export function BrowserNote({ locale }: { locale: Locale }) {
  return (
    <div className="browser-note" role="note" data-testid="browser-note">
      {browserText(locale, 'note')}
    </div>
  );
}
