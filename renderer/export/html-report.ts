// One self-contained HTML file describing a run: steps and expectations, the
// chart as an embedded PNG, and every kernel OOM report. No scripts, no
// external resources; every value goes through the html`` template, which
// escapes it (numbers too: a recording is a file from anyone).

import type { Locale } from '../../electron/lab/events';
import { pickLocalized, translator } from '../i18n/translate';
import { formatBytes, formatKb, formatTime } from '../format';
import type { ViewState } from '../state/view-state';
import { html } from './html';

const PNG_DATA_URL = 'data:image/png;base64,';

export function htmlReport(state: ViewState, chartPngDataUrl: string | null, locale: Locale): string {
  const t = translator(locale);
  const pick = (x: Parameters<typeof pickLocalized>[1]) => pickLocalized(locale, x);
  const run = state.run;
  const title = run ? pick(run.scenario.title) : 'OOM Lab';
  const steps = state.steps.map((s) => {
    const exps = s.expectations.map((e) => html`<li class="${e.passed ? 'pass' : 'fail'}">${e.passed ? '✓' : '✗'} ${e.text} <span class="obs">(${e.observed})</span></li>`);
    return html`<li><strong>${t('player.step', { n: s.index + 1 })}: ${pick(s.title)}</strong> — ${s.status}${s.startT !== null ? html` @ ${formatTime(s.startT)}` : ''}${s.message ? html`<div class="msg">${s.message}</div>` : ''}<ul>${exps}</ul></li>`;
  });
  const kills = state.kills.map((k) => {
    const r = k.report;
    const usage = r.memcgUsage ? html` — ${t('kernel.usage', { usage: formatKb(r.memcgUsage.usageKb), limit: formatKb(r.memcgUsage.limitKb), failcnt: r.memcgUsage.failcnt })}` : '';
    return html`<section class="kill"><h3>${t('kernel.report')} @ ${formatTime(k.t)}: ${r.comm} (${r.pid})</h3>
<p>${t('kernel.memcg')}: <code>${r.memcg}</code>${usage}</p>
<p>${t('kernel.rss', { anon: formatKb(r.anonRssKb), file: formatKb(r.fileRssKb), shmem: formatKb(r.shmemRssKb) })}</p>
<pre>${r.lines.join('\n')}</pre></section>`;
  });
  const outcome = state.end ? t(`player.outcome.${state.end.outcome}`) + (state.end.reason ? ` — ${state.end.reason}` : '') : t('player.running');
  const facts = run
    ? html`<p>${run.host.host} · ${t('card.kernel')} ${run.host.kernel} · cgroup ${run.host.cgroup} · ${t('player.target')} ${run.target.kind} ${run.target.path ?? ''} · ${t('player.limit')} ${formatBytes(run.target.limitBytes)}${run.target.swapPinned ? html` · ${t('player.swapPinned')}` : ''} · ${t('player.startedAt')} ${run.startedAt}</p>`
    : '';
  // Only a PNG data URL may be the chart's source.
  const chart = chartPngDataUrl?.startsWith(PNG_DATA_URL) ? html`<img alt="chart" src="${chartPngDataUrl}">` : '';
  return html`<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${title} — OOM Lab</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#1b1f24}pre{background:#f4f5f7;padding:.8em;overflow:auto;font-size:12px}
.pass{color:#1a7f37}.fail{color:#cf222e}.obs{color:#57606a}img{max-width:100%;border:1px solid #d0d7de}.kill h3{color:#cf222e}</style></head>
<body><h1>${title}</h1>${facts}<p><strong>${outcome}</strong></p>
${chart}
<h2>${t('scenarios.steps')}</h2><ol class="steps">${steps}</ol>
<h2>${t('tabs.kernel')}</h2>${kills.length ? kills : html`<p>${t('kernel.noReports')}</p>`}
</body></html>
`.text;
}
