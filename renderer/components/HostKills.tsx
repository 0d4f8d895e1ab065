// "Kills on this host": the OOM kills in a connected host's kernel log (the
// last day), each with the container, pod or unit it belonged to. Reading the
// log changes nothing on the host.

import { useState } from 'react';
import type { HostKillList } from '../../electron/lab/kernel/host-kills';
import { useI18n } from '../i18n/i18n';

export function HostKills({ hostId, load }: { hostId: string; load: (hostId: string) => Promise<HostKillList | undefined> }) {
  const { t } = useI18n();
  const [list, setList] = useState<HostKillList | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = async () => {
    setBusy(true);
    setList((await load(hostId)) ?? null);
    setBusy(false);
  };
  const kills = list?.kills.filter((k) => k.kind === 'kill') ?? [];
  return (
    <section className="host-kills" data-testid="host-kills" aria-label={t('kills.title')}>
      <button onClick={() => void refresh()} disabled={busy} aria-busy={busy}>
        {list ? t('kills.reload') : t('kills.show')}
      </button>
      {list && (
        <>
          <p className="kills-source">{t('kills.source', { source: list.source, count: kills.length })}</p>
          {kills.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('kills.when')}</th>
                  <th scope="col">{t('kills.victim')}</th>
                  <th scope="col">{t('kills.limit')}</th>
                  <th scope="col">{t('kills.owner')}</th>
                </tr>
              </thead>
              <tbody>
                {kills.map((k, i) => (
                  <tr key={i}>
                    <td>{k.wall ?? '—'}</td>
                    <td>
                      {k.pid} ({k.comm})
                    </td>
                    <td>{k.memcg}</td>
                    <td>{k.ownerText ?? (k.owner.unresolved.join('; ') || '—')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
