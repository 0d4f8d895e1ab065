// A chart.js line chart fed from a ChartModel. The chart is created once;
// new state only marks it dirty, and one requestAnimationFrame per frame
// recomputes the (decimated) model and redraws without animation, so a 100 Hz
// stream never queues more than one redraw.

import { useEffect, useRef } from 'react';
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset, type Plugin } from 'chart.js';
import annotationPlugin, { type AnnotationOptions } from 'chartjs-plugin-annotation';
import type { ChartModel, Marker } from './model';
import { colors } from './model';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip, annotationPlugin);

/** Paints the panel colour under the chart, so an exported PNG looks like the screen. */
const background: Plugin<'line'> = {
  id: 'oomlab-background',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#161b22';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

export interface LabChartProps {
  /** Builds the model for a given number of buckets (≈ the canvas width in pixels). */
  model: (buckets: number) => ChartModel;
  labels: Record<string, string>;
  yTitle: string;
  xTitle: string;
  yFormat: (v: number) => string;
  height: number;
  testId: string;
  markerLabel: (m: Marker) => string;
  onChart?: (chart: Chart | null) => void;
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
          x: { type: 'linear', min: 0, ticks: { color: '#8b949e' }, grid: { color: '#21262d' }, title: { display: true, color: '#8b949e', text: '' } },
          y: { type: 'linear', beginAtZero: true, ticks: { color: '#8b949e' }, grid: { color: '#21262d' }, title: { display: true, color: '#8b949e', text: '' } },
        },
        plugins: {
          legend: { labels: { color: '#c9d1d9', boxWidth: 12 } },
          tooltip: { enabled: true },
          annotation: { annotations: {} },
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
    <div className="chart-box" style={{ height: props.height }} ref={box} data-testid={props.testId}>
      <canvas ref={canvas} />
    </div>
  );
}

function draw(c: Chart, p: LabChartProps, box: HTMLDivElement | null): void {
  const width = Math.max(100, c.width || 800);
  const m = p.model(Math.round(width));
  c.data.datasets = m.series.map(
    (s): ChartDataset<'line'> => ({
      label: p.labels[s.key] ?? s.key,
      data: s.data,
      borderColor: s.color,
      backgroundColor: s.color,
      borderDash: s.dashed ? [6, 4] : [],
      stepped: s.stepped,
      pointRadius: 0,
    }),
  );
  const annotations: Record<string, AnnotationOptions> = {};
  for (const mk of m.markers) annotations[mk.id] = annotation(mk, p.markerLabel(mk));
  const opts = c.options;
  opts.plugins!.annotation = { annotations };
  const x = opts.scales!.x!;
  x.max = Math.max(m.xMax, 1);
  (x as { title: { text: string } }).title.text = p.xTitle;
  const y = opts.scales!.y!;
  (y as { title: { text: string } }).title.text = p.yTitle;
  (y as { ticks: { callback: (v: number | string) => string } }).ticks.callback = (v) => p.yFormat(Number(v));
  c.update('none');
  // What was drawn, for the end-to-end tests (and devtools): the chart's own inputs.
  if (box) {
    box.dataset.points = String(m.points);
    box.dataset.samples = String(m.samples);
    box.dataset.killMarkers = String(m.markers.filter((k) => k.kind === 'kill').length);
    box.dataset.stepMarkers = String(m.markers.filter((k) => k.kind === 'step').length);
    box.dataset.limitLine = String(m.markers.some((k) => k.kind === 'limit'));
    box.dataset.lastX = String(m.series[0]?.data.at(-1)?.x ?? 0);
  }
}

function annotation(m: Marker, text: string): AnnotationOptions {
  if (m.kind === 'limit') {
    return {
      type: 'line',
      yMin: m.y,
      yMax: m.y,
      borderColor: colors.limit,
      borderWidth: 2,
      borderDash: [6, 4],
      label: { display: true, content: text, position: 'end', backgroundColor: 'rgba(255,107,107,0.85)', color: '#fff', font: { size: 11 } },
    };
  }
  const kill = m.kind === 'kill';
  return {
    type: 'line',
    xMin: m.x,
    xMax: m.x,
    borderColor: kill ? colors.kill : colors.step,
    borderWidth: kill ? 2 : 1,
    borderDash: kill ? [] : [3, 3],
    label: {
      display: true,
      content: text,
      position: kill ? 'start' : 'end',
      backgroundColor: kill ? 'rgba(255,77,79,0.9)' : 'rgba(48,54,61,0.9)',
      color: '#fff',
      font: { size: 11 },
    },
  };
}
