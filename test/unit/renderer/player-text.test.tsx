// What the player says, rendered to markup: the step panel's live wait, the replay
// badge before the end, the pause banner and chart spans, and narration lists
// (kernel-line-to-owner step 2 is the bundled example) — issue 14 items 2-4.
import { describe, expect, it, vi } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { LabEvent } from '../../../electron/lab/events';
import { Player } from '../../../renderer/components/Player';
import { Narration, blocks } from '../../../renderer/components/Narration';
import { foldAll, waitOfText } from '../../../renderer/state/fold';
import { memoryModel } from '../../../renderer/charts/model';
import { outlineFromEvents } from '../../../renderer/state/view-state';
import { bundledLibrary } from '../../../electron/lab/session/scenario-library';
import { handBuiltRun, sample } from './hand-built-events';

// The chart needs a browser (chartjs-plugin-zoom reads window at import); the chart model is tested on its own below.
vi.mock('../../../renderer/components/ChartPanel', () => ({ ChartPanel: () => null }));

const MiB = 1024 * 1024;

function upTo(events: LabEvent[], t: number): LabEvent[] {
  return events.filter((e) => e.t <= t);
}

/** The hand-built run with a usage wait in step 1 and a pause in step 2. */
function runWithWait(): LabEvent[] {
  const ev = handBuiltRun();
  const at = ev.findIndex((e) => e.kind === 'workload-start');
  ev.splice(at + 1, 0, { kind: 'action', t: 21, step: 0, text: 'wait for usage ≥ 75% of the limit (at most 30 s)', wait: { what: 'usage ≥ 75% of the limit', usage: true, forMs: null } });
  return ev;
}

function render(events: LabEvent[], mode: 'live' | 'replay'): string {
  const view = foldAll(events);
  return renderToStaticMarkup(<Player view={view} outline={outlineFromEvents(events)} xMaxMs={2000} controls={null} mode={mode} />);
}

describe('the step panel shows what the step waits for', () => {
  it('while the wait lasts: the condition and the usage now; gone at the next action or the step end', () => {
    const ev = runWithWait();
    const html = render(upTo(ev, 500), 'live');
    expect(html).toMatch(/data-testid="step-wait"[^>]*>waiting for usage ≥ 75% of the limit — now 52\.\d MiB</);
    expect(render(upTo(ev, 1006), 'live')).not.toContain('step-wait');
  });

  it('a recording made before actions carried `wait` gets it from the engine\'s wording', () => {
    expect(waitOfText('wait for an OOM kill of grower (at most 30 s)')).toEqual({ what: 'an OOM kill of grower', usage: false, forMs: null });
    expect(waitOfText('wait for usage ≥ 95 MiB (at most 1 min)')?.usage).toBe(true);
    expect(waitOfText('wait 1 s')).toEqual({ what: '1 s', usage: false, forMs: null });
    expect(waitOfText('start grower: allocate 1 MiB steps')).toBeNull();
    const ev = handBuiltRun();
    ev.splice(4, 0, { kind: 'action', t: 21, step: 0, text: 'wait 1 s' });
    expect(render(upTo(ev, 500), 'replay')).toMatch(/data-testid="step-wait"[^>]*>holding 1 s</);
  });
});

describe('the badge', () => {
  it('a replay before its end says Replay, never Running; at the end the outcome', () => {
    const ev = handBuiltRun();
    const mid = render(upTo(ev, 500), 'replay');
    expect(mid).toMatch(/data-testid="run-badge"[^>]*>Replay</);
    expect(mid).not.toContain('Running');
    expect(render(ev, 'replay')).toMatch(/data-testid="outcome"[^>]*>Passed</);
    expect(render(upTo(ev, 500), 'live')).toMatch(/data-testid="run-badge"[^>]*>Running</);
  });
});

describe('pauses', () => {
  const paused = (frozen: boolean): LabEvent[] => [
    ...upTo(handBuiltRun(), 1020),
    { kind: 'pause', t: 1025, step: 1, frozen, how: frozen ? 'freezer.state on /sys/fs/cgroup/freezer/oomlab/oomlab-r1' : null, warning: frozen ? null : 'a pod target cannot be frozen: only the runner pauses, the workloads keep running' },
    sample(1100, 100 * MiB),
  ];

  it('fold keeps the span; resume closes it; the chart shades it', () => {
    const open = foldAll(paused(true));
    expect(open.pauses).toEqual([{ t: 1025, endT: null, step: 1, frozen: true, how: 'freezer.state on /sys/fs/cgroup/freezer/oomlab/oomlab-r1', warning: null }]);
    const closed = foldAll([...paused(true), { kind: 'resume', t: 1200, step: 1, pausedMs: 175 }]);
    expect(closed.pauses[0]!.endT).toBe(1200);
    const m = memoryModel(closed.series['target'], [], closed.steps, 2000, 100, null, closed.pauses.map((p) => ({ from: p.t, to: p.endT ?? closed.t })));
    expect(m.markers.filter((k) => k.kind === 'pause')).toEqual([{ kind: 'pause', id: 'pause0', x: 1.025, x2: 1.2 }]);
  });

  it('a pause that could not freeze shows its warning; a frozen one says how', () => {
    expect(render(paused(false), 'live')).toMatch(/data-testid="pause-banner" data-frozen="false">Paused: the workloads keep running: a pod target cannot be frozen/);
    expect(render(paused(true), 'live')).toContain('the target is frozen by the kernel (freezer.state on /sys/fs/cgroup/freezer/oomlab/oomlab-r1)');
  });
});

describe('narration Markdown', () => {
  it('kernel-line-to-owner step 2 renders its numbered list as three items, in both languages', async () => {
    const s = (await bundledLibrary.resolve('kernel-line-to-owner')).scenario;
    const narration = s.steps[1]!.narration!;
    for (const [text, first] of [
      [narration.en, '<li>take <code>task_memcg</code> from the report'],
      [narration['zh-CN']!, '<li>从报告中取出 <code>task_memcg</code>'],
    ] as const) {
      const html = renderToStaticMarkup(<Narration text={text} />);
      expect(html.match(/<ol>/g)).toHaveLength(1);
      expect(html.match(/<li>/g)).toHaveLength(3);
      expect(html).toContain(first);
    }
  });

  it('bulleted lists, a list start, and continuation lines join their item', () => {
    expect(blocks('Intro line\nmore\n\n- one\n  still one\n- two\n\n3. three\n4. four')).toEqual([
      { kind: 'p', text: 'Intro line more' },
      { kind: 'ul', start: 1, items: ['one still one', 'two'] },
      { kind: 'ol', start: 3, items: ['three', 'four'] },
    ]);
    expect(renderToStaticMarkup(<Narration text={'3. a\n4. <b>x</b>'} />)).toBe('<div class="narration" data-testid="narration"><ol start="3"><li>a</li><li>&lt;b&gt;x&lt;/b&gt;</li></ol></div>');
  });
});
