// The memory and counter charts with what makes them usable without a mouse
// or without sight: zoom buttons and a reset (the window is shared by both
// charts), the empty state before the first sample, and the chart as text
// (limit, peak, kills with their times), read by screen readers and shown on demand.

import { useCallback, useContext, useId, useState } from 'react';
import type { Chart } from 'chart.js';
import type { ViewState } from '../state/view-state';
import { countersModel, memoryModel, type Marker, type XWindow } from '../charts/model';
import { LabChart } from '../charts/LabChart';
import { summarizeChart } from '../charts/summary';
import { scaleWindow } from '../charts/zoom';
import { formatBytes, formatTime } from '../format';
import { useI18n } from '../i18n/i18n';
import { ThemeContext } from '../theme/use-theme';

export interface ChartPanelProps {
  view: ViewState;
  xMaxMs: number;
  win: XWindow;
  setWin: (w: XWindow) => void;
  onChart?: (chart: Chart | null) => void;
}

export function ChartPanel({ view, xMaxMs, win, setWin, onChart }: ChartPanelProps) {
  const { t } = useI18n();
  const theme = useContext(ThemeContext);
  const [showText, setShowText] = useState(false);
  const summaryId = useId();
  const series = view.series['target'] ?? Object.values(view.series)[0];
  const empty = !series || series.length === 0 ? t('chart.noSamples') : null;
  const xMax = xMaxMs / 1000;
  const memLabels = { usage: t('chart.usage'), workingSet: t('chart.workingSet'), cache: t('chart.cache'), peak: t('chart.peak'), limit: t('chart.limit') };
  const cntLabels = { failcnt: t('chart.failcnt'), oomKills: t('chart.oomKills') };
  const markerLabel = useCallback(
    (m: Marker) =>
      m.kind === 'kill' ? t('chart.kill', { comm: m.comm, pid: m.pid }) : m.kind === 'step' ? t('player.step', { n: m.index + 1 }) : m.kind === 'pause' ? t('chart.paused') : `${t('chart.limit')} ${formatBytes(m.bytes)}`,
    [t],
  );
  const sum = summarizeChart(series, view.kills);
  const pauses = view.pauses.map((p) => ({ from: p.t, to: p.endT ?? view.t }));

  return (
    <>
      <div className="chart-tools" data-testid="chart-tools">
        <button onClick={() => setWin(scaleWindow(win, xMax, 0.5))} data-testid="zoom-in">
          {t('chart.zoomIn')}
        </button>
        <button onClick={() => setWin(scaleWindow(win, xMax, 2))} disabled={win === null} data-testid="zoom-out">
          {t('chart.zoomOut')}
        </button>
        <button onClick={() => setWin(null)} disabled={win === null} data-testid="zoom-reset">
          {t('chart.zoomReset')}
        </button>
        <span className="muted small">{win ? t('chart.window', { from: formatTime(win.min * 1000), to: formatTime(win.max * 1000) }) : t('chart.zoomHint')}</span>
        <span className="spacer" />
        <button aria-expanded={showText} aria-controls={summaryId} onClick={() => setShowText(!showText)} data-testid="chart-text-toggle">
          {showText ? t('chart.hideText') : t('chart.showText')}
        </button>
      </div>
      <LabChart
        testId="memory-chart"
        height={300}
        labels={memLabels}
        yTitle="MiB"
        xTitle={t('chart.seconds')}
        yFormat={(v) => `${v.toFixed(0)}`}
        markerLabel={markerLabel}
        onChart={onChart}
        model={(b, w) => memoryModel(series, view.kills, view.steps, xMaxMs, b, w, pauses)}
        win={win}
        onWindow={setWin}
        theme={theme}
        emptyText={empty}
        ariaLabel={t('chart.memoryLabel')}
        describedBy={summaryId}
      />
      <LabChart
        testId="counters-chart"
        height={120}
        labels={cntLabels}
        yTitle=""
        xTitle=""
        yFormat={(v) => (Number.isInteger(v) ? String(v) : '')}
        markerLabel={(m) => (m.kind === 'kill' ? '☠' : '')}
        model={(b, w) => countersModel(series, view.kills, view.steps, xMaxMs, b, w)}
        win={win}
        theme={theme}
        emptyText={empty}
        ariaLabel={t('chart.countersLabel')}
        describedBy={summaryId}
      />
      <section id={summaryId} className={showText ? 'chart-summary' : 'sr-only'} data-testid="chart-summary" aria-label={t('chart.textHeading')}>
        {sum.samples === 0 ? (
          <p>{t('chart.noSamples')}</p>
        ) : (
          <>
            <p>
              {t('chart.textLimit', { limit: sum.limitBytes === null ? t('chart.noLimit') : formatBytes(sum.limitBytes) })}{' '}
              {t('chart.textPeak', { peak: formatBytes(sum.peakBytes), at: formatTime(sum.peakT ?? 0) })}{' '}
              {t('chart.textSamples', { n: sum.samples })}
            </p>
            {sum.kills.length === 0 ? (
              <p>{t('chart.textNoKills')}</p>
            ) : (
              <ul>
                {sum.kills.map((k, i) => (
                  <li key={i}>{t('chart.textKill', { at: formatTime(k.t), comm: k.comm, pid: k.pid, workload: k.workload ?? '—' })}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>
    </>
  );
}
