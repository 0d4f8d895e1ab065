// One self-contained HTML file describing a run: steps and expectations, the
// chart as an embedded PNG, and every kernel OOM report. No scripts, no
// external resources; every value is escaped.

import type { Locale } from '../../electron/lab/events';
import { pickLocalized, translator } from '../i18n/i18n';
import { formatBytes, formatKb, formatTime } from '../format';
import type { ViewState } from '../state/view-state';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function htmlReport(state: ViewState, chartPngDataUrl: string | null, locale: Locale): string {
  const t = translator(locale);
  const pick = (x: Parameters<typeof pickLocalized>[1]) => pickLocalized(locale, x);
  const run = state.run;
  const title = run ? pick(run.scenario.title) : 'OOM Lab';
  const steps = state.steps
    .map((s) => {
      const exps = s.expectations
        .map((e) => `<li class="${e.passed ? 'pass' : 'fail'}">${e.passed ? '✓' : '✗'} ${esc(e.text)} <span class="obs">(${esc(e.observed)})</span></li>`)
        .join('');
      return `<li><strong>${esc(t('player.step', { n: s.index + 1 }))}: ${esc(pick(s.title))}</strong> — ${esc(s.status)}${s.startT !== null ? ` @ ${formatTime(s.startT)}` : ''}${s.message ? `<div class="msg">${esc(s.message)}</div>` : ''}<ul>${exps}</ul></li>`;
    })
    .join('');
  const kills = state.kills
    .map(
      (k) => `<section class="kill"><h3>${esc(t('kernel.report'))} @ ${formatTime(k.t)}: ${esc(k.report.comm)} (${k.report.pid})</h3>
<p>${esc(t('kernel.memcg'))}: <code>${esc(k.report.memcg)}</code>${k.report.memcgUsage ? ` — ${esc(t('kernel.usage', { usage: formatKb(k.report.memcgUsage.usageKb), limit: formatKb(k.report.memcgUsage.limitKb), failcnt: k.report.memcgUsage.failcnt }))}` : ''}</p>
<p>${esc(t('kernel.rss', { anon: formatKb(k.report.anonRssKb), file: formatKb(k.report.fileRssKb), shmem: formatKb(k.report.shmemRssKb) }))}</p>
<pre>${esc(k.report.lines.join('\n'))}</pre></section>`,
    )
    .join('');
  const outcome = state.end ? t(`player.outcome.${state.end.outcome}`) + (state.end.reason ? ` — ${state.end.reason}` : '') : t('player.running');
  const facts = run
    ? `<p>${esc(run.host.host)} · ${esc(t('card.kernel'))} ${esc(run.host.kernel)} · cgroup ${esc(run.host.cgroup)} · ${esc(t('player.target'))} ${esc(run.target.kind)} ${esc(run.target.path ?? '')} · ${esc(t('player.limit'))} ${formatBytes(run.target.limitBytes)}${run.target.swapPinned ? ` · ${esc(t('player.swapPinned'))}` : ''} · ${esc(t('player.startedAt'))} ${esc(run.startedAt)}</p>`
    : '';
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${esc(title)} — OOM Lab</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#1b1f24}pre{background:#f4f5f7;padding:.8em;overflow:auto;font-size:12px}
.pass{color:#1a7f37}.fail{color:#cf222e}.obs{color:#57606a}img{max-width:100%;border:1px solid #d0d7de}.kill h3{color:#cf222e}</style></head>
<body><h1>${esc(title)}</h1>${facts}<p><strong>${esc(outcome)}</strong></p>
${chartPngDataUrl ? `<img alt="chart" src="${esc(chartPngDataUrl)}">` : ''}
<h2>${esc(t('scenarios.steps'))}</h2><ol class="steps">${steps}</ol>
<h2>${esc(t('tabs.kernel'))}</h2>${kills || `<p>${esc(t('kernel.noReports'))}</p>`}
</body></html>
`;
}
