// A chart.js line chart fed from a ChartModel. The chart is created once;
// new state only marks it dirty, and one requestAnimationFrame per frame
// recomputes the (decimated) model and redraws without animation, so a 100 Hz
// stream never queues more than one redraw. Colours come from the theme's CSS
// variables; zoom and pan (chartjs-plugin-zoom) report the window to the owner,
// which keeps it, so every redraw shows the same range.

import { useEffect, useRef } from 'react';
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset, type Plugin } from 'chart.js';
import annotationPlugin, { type AnnotationOptions } from 'chartjs-plugin-annotation';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { ChartModel, Marker, XWindow } from './model';
import { clampWindow } from './zoom';
import { chartPalette, type ChartPalette } from '../theme/theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip, annotationPlugin, zoomPlugin);

const palettes = new WeakMap<Chart, ChartPalette>();

/** Paints the panel colour under the chart, so an exported PNG looks like the screen. */
const background: Plugin<'line'> = {
  id: 'oomlab-background',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = palettes.get(chart)?.background ?? 'transparent';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

export interface LabChartProps {
  /** Builds the model for a given number of buckets (≈ the canvas width in pixels). */
  model: (buckets: number, win: XWindow) => ChartModel;
  labels: Record<string, string>;
  yTitle: string;
  xTitle: string;
  yFormat: (v: number) => string;
  height: number;
  testId: string;
  markerLabel: (m: Marker) => string;
  onChart?: (chart: Chart | null) => void;
  /** The x range shown (null: the whole run). */
  win: XWindow;
  /** Set: the user may zoom (ctrl + wheel, pinch) and pan (drag); the new window is reported here. */
  onWindow?: (w: XWindow) => void;
  /** The theme: a change repaints with its colours. */
  theme: string;
  /** Shown over the chart while there is nothing to draw (before the first sample). */
  emptyText: string | null;
  /** What the canvas shows, for screen readers; the element with this id holds the full text summary. */
  ariaLabel: string;
  describedBy?: string;
}

export function LabChart(props: LabChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const frame = useRef<number | null>(null);

  useEffect(() => {
    const c = new Chart(canvas.current!, {
      type: 'line',
      data: { datasets: [] },
      plugins: [background],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        spanGaps: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { point: { radius: 0, hitRadius: 4 }, line: { borderWidth: 1.5, tension: 0 } },
        scales: {
          x: { type: 'linear', min: 0, title: { display: true, text: '' } },
          y: { type: 'linear', beginAtZero: true, title: { display: true, text: '' } },
        },
        plugins: {
          legend: { labels: { boxWidth: 12 } },
          tooltip: { enabled: true },
          annotation: { annotations: {} },
          zoom: {
            pan: { enabled: false, mode: 'x', onPanComplete: ({ chart }) => reportWindow(chart, latest.current) },
            zoom: {
              wheel: { enabled: false, modifierKey: 'ctrl' },
              pinch: { enabled: false },
              mode: 'x',
              onZoomComplete: ({ chart }) => reportWindow(chart, latest.current),
            },
          },
        },
      },
    });
    chart.current = c;
    latest.current.onChart?.(c);
    return () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      latest.current.onChart?.(null);
      c.destroy();
      chart.current = null;
    };
  }, []);

  // Every render only schedules; the frame callback reads the latest props.
  useEffect(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const c = chart.current;
      if (c) draw(c, latest.current, box.current);
    });
  });

  return (
    <div className="chart-box" style={{ height: props.height }} ref={box} data-testid={props.testId} data-theme={props.theme} data-empty={props.emptyText !== null}>
      <canvas ref={canvas} role="img" aria-label={props.ariaLabel} aria-describedby={props.describedBy} />
      {props.emptyText !== null && <div className="chart-empty">{props.emptyText}</div>}
    </div>
  );
}

function reportWindow(c: Chart, p: LabChartProps): void {
  const x = c.scales['x'];
  if (x && p.onWindow) p.onWindow(clampWindow({ min: x.min, max: x.max }, xMaxOf.get(c) ?? x.max));
}

/** The run's end as the last draw saw it, for the plugin's callbacks to clamp against. */
const xMaxOf = new WeakMap<Chart, number>();

function draw(c: Chart, p: LabChartProps, box: HTMLDivElement | null): void {
  const width = Math.max(100, c.width || 800);
  const m = p.model(Math.round(width), p.win);
  const pal = chartPalette((v) => getComputedStyle(document.documentElement).getPropertyValue(v));
  palettes.set(c, pal);
  xMaxOf.set(c, Math.max(m.xMax, 1));
  c.data.datasets = m.series.map(
    (s): ChartDataset<'line'> => ({
      label: p.labels[s.key] ?? s.key,
      data: s.data,
      borderColor: pal[s.key],
      backgroundColor: pal[s.key],
      borderDash: s.dashed ? [6, 4] : [],
      stepped: s.stepped,
      pointRadius: 0,
    }),
  );
  const annotations: Record<string, AnnotationOptions> = {};
  for (const mk of m.markers) annotations[mk.id] = annotation(mk, p.markerLabel(mk), pal);
  const opts = c.options;
  opts.plugins!.annotation = { annotations };
  opts.plugins!.legend!.labels!.color = pal.text;
  const zoom = opts.plugins!.zoom!;
  const interactive = p.onWindow !== undefined;
  zoom.pan!.enabled = interactive;
  zoom.zoom!.wheel!.enabled = interactive;
  zoom.zoom!.pinch!.enabled = interactive;
  zoom.limits = { x: { min: 0, max: Math.max(m.xMax, 1), minRange: 0.2 } };
  const x = opts.scales!.x!;
  x.min = p.win?.min ?? 0;
  x.max = p.win?.max ?? Math.max(m.xMax, 1);
  const y = opts.scales!.y!;
  for (const axis of [x, y] as Array<{ ticks: { color: string }; grid: { color: string }; title: { color: string; text: string } }>) {
    axis.ticks.color = pal.text;
    axis.grid.color = pal.grid;
    axis.title.color = pal.text;
  }
  (x as { title: { text: string } }).title.text = p.xTitle;
  (y as { title: { text: string } }).title.text = p.yTitle;
  (y as { ticks: { callback: (v: number | string) => string } }).ticks.callback = (v) => p.yFormat(Number(v));
  c.update('none');
  // What was drawn, for the end-to-end tests (and devtools): the chart's own inputs.
  if (box) {
    box.dataset.points = String(m.points);
    box.dataset.samples = String(m.samples);
    box.dataset.killMarkers = String(m.markers.filter((k) => k.kind === 'kill').length);
    box.dataset.stepMarkers = String(m.markers.filter((k) => k.kind === 'step').length);
    box.dataset.pauseSpans = String(m.markers.filter((k) => k.kind === 'pause').length);
    box.dataset.limitLine = String(m.markers.some((k) => k.kind === 'limit'));
    box.dataset.lastX = String(m.series[0]?.data.at(-1)?.x ?? 0);
    box.dataset.xMin = String(x.min);
    box.dataset.xMax = String(x.max);
    box.dataset.usageColor = pal.usage;
  }
}

function annotation(m: Marker, text: string, pal: ChartPalette): AnnotationOptions {
  if (m.kind === 'limit') {
    return {
      type: 'line',
      yMin: m.y,
      yMax: m.y,
      borderColor: pal.limit,
      borderWidth: 2,
      borderDash: [6, 4],
      label: { display: true, content: text, position: 'end', backgroundColor: pal.limitLabel, color: pal.labelText, font: { size: 11 } },
    };
  }
  if (m.kind === 'pause') {
    return { type: 'box', xMin: m.x, xMax: m.x2, backgroundColor: pal.pause, borderWidth: 0, label: { display: true, content: text, position: { x: 'center', y: 'start' }, color: pal.text, font: { size: 11 } } };
  }
  const kill = m.kind === 'kill';
  return {
    type: 'line',
    xMin: m.x,
    xMax: m.x,
    borderColor: kill ? pal.kill : pal.step,
    borderWidth: kill ? 2 : 1,
    borderDash: kill ? [] : [3, 3],
    label: {
      display: true,
      content: text,
      position: kill ? 'start' : 'end',
      backgroundColor: kill ? pal.killLabel : pal.stepLabel,
      color: pal.labelText,
      font: { size: 11 },
    },
  };
}
