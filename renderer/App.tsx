// The app shell: navigation, language, the one error list, connection
// prompts, and which session (live run or replay) the player shows.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DemoRecording, HostEntry, HostInput, IpcError, MenuCommand, OomlabApi, OpenedRecording, Prompt, ScenarioSummary, Settings } from '../electron/ipc';
import type { LabEvent, Locale } from '../electron/lab/events';
import { parseRecording } from '../electron/lab/recording/parse';
import { recordingFileText } from './state/recording-file';
import { ApiError, call } from './api/client';
import { ErrorList, type ShownError } from './components/Errors';
import { Home } from './components/Home';
import { HostsView, type HostStatus } from './components/Hosts';
import { HostKeyChanged, PromptDialog } from './components/Prompts';
import { ScenariosView, type RunRequest } from './components/Scenarios';
import { ExportRequest, LiveView, ReplayView, type ExportKind, type LiveInfo, type ReplayRecording, type SaveExport, type SaveShared } from './components/Sessions';
import { I18nProvider, systemLocale, translator } from './i18n/i18n';
import { LiveRun } from './state/live';
import { ThemeContext, useTheme } from './theme/use-theme';
import { THEME_CHOICES, type ThemeChoice } from './theme/theme';
import { download, inBrowser, openRecordingInBrowser, browserText } from './web/browser';
import { BrowserNote } from './web/BrowserNote';

type View = 'home' | 'hosts' | 'scenarios' | 'player';
type Session = { kind: 'live'; live: LiveInfo } | { kind: 'replay'; rec: ReplayRecording; key: number } | null;

export function App({ api }: { api: OomlabApi }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [view, setView] = useState<View>('home');
  const [errors, setErrors] = useState<ShownError[]>([]);
  const [hosts, setHosts] = useState<HostEntry[]>([]);
  const [status, setStatus] = useState<Record<string, HostStatus>>({});
  const [prompts, setPrompts] = useState<Prompt[]>([]);
  const [keyChanged, setKeyChanged] = useState<IpcError | null>(null);
  const [scenarios, setScenarios] = useState<ScenarioSummary[] | null>(null);
  const [demos, setDemos] = useState<DemoRecording[] | null>(null);
  const [session, setSession] = useState<Session>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const exportRequest = useMemo(() => new ExportRequest(), []);
  const sessionRef = useRef<Session>(null);
  sessionRef.current = session;
  // The live run receiving events, set before React renders it: events may arrive before the next render.
  const liveRef = useRef<LiveRun | null>(null);
  const early = useRef(new Map<string, LabEvent[]>());
  const errorSeq = useRef(0);

  const locale: Locale = settings?.locale ?? settings?.systemLocale ?? systemLocale(navigator.languages);
  const t = translator(locale);
  const { choice: themeChoice, theme, setChoice: setThemeChoice } = useTheme();
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const browser = inBrowser(api);
  // Where a saved file went: a path on this machine, or (in a browser) a download.
  const savedNotice = (r: { path: string } | null | undefined) =>
    r && setNotice(browser ? browserText(locale, 'downloaded', download(r.path)) : t('player.saved', { path: r.path }));

  const report = useCallback((e: unknown) => {
    const error: IpcError = e instanceof ApiError ? e.error : { code: 'internal', message: e instanceof Error ? e.message : String(e) };
    if (error.code === 'cancelled') return;
    if (error.code === 'host-key-changed') setKeyChanged(error);
    setErrors((old) => [...old, { id: ++errorSeq.current, error }]);
  }, []);
  const attempt = useCallback(<T,>(p: Promise<T>) => p.catch((e) => (report(e), undefined)), [report]);

  const refreshHosts = useCallback(() => attempt(call(api.listHosts()).then(setHosts)), [api, attempt]);
  const reloadScenarios = useCallback(() => attempt(call(api.listScenarios()).then(setScenarios)), [api, attempt]);

  // ---- load, subscribe
  useEffect(() => {
    void attempt(call(api.getSettings()).then(setSettings));
    void refreshHosts();
    void reloadScenarios();
    void attempt(call(api.listDemoRecordings()).then(setDemos));
    const offs = [
      api.on.connectProgress(({ hostId, stage, message }) =>
        // A host card only shows what the current connection probed.
        setStatus((old) => ({ ...old, [hostId]: { stage, message, facts: stage === 'connected' ? (old[hostId]?.facts ?? null) : null } })),
      ),
      api.on.prompt((p) => setPrompts((old) => [...old, p])),
      api.on.promptClosed(({ promptId }) => setPrompts((old) => old.filter((p) => p.promptId !== promptId))),
      api.on.runEvents(({ runId, events }) => {
        if (liveRef.current?.runId === runId) liveRef.current.push(events);
        else early.current.set(runId, [...(early.current.get(runId) ?? []), ...events]);
      }),
      api.on.runPhase(({ runId, phase, nextStep }) => {
        // A finished run is replayed from every event it sent: fold what is still queued first.
        if (phase === 'ended' && liveRef.current?.runId === runId) liveRef.current.flush();
        setSession((s) => (s?.kind === 'live' && s.live.run.runId === runId ? { kind: 'live', live: { ...s.live, phase, nextStep } } : s));
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [api, attempt, refreshHosts, reloadScenarios]);

  // ---- recordings
  const openText = useCallback(
    (opened: OpenedRecording) => {
      try {
        const r = parseRecording(opened.text, opened.path ?? opened.name);
        liveRef.current = null;
        setSession({ kind: 'replay', rec: { name: opened.name, header: r.header, events: r.events, warnings: r.warnings }, key: Date.now() });
        setView('player');
      } catch (e) {
        report(new ApiError({ code: 'recording-invalid', message: (e as Error).message }));
      }
    },
    [report],
  );
  const openFile = useCallback(
    () => void attempt(call(browser ? openRecordingInBrowser(api) : api.openRecording())).then((o) => o && openText(o)),
    [api, attempt, openText, browser],
  );
  const openDemo = useCallback((name: string) => void attempt(call(api.openDemoRecording({ name }))).then((o) => o && openText(o)), [api, attempt, openText]);

  // Drop a recording anywhere on the window.
  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      const file = e.dataTransfer?.files[0];
      if (file) void recordingFileText(file).then((text) => openText({ name: file.name, path: null, text }), report);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [openText, report]);

  // ---- hosts
  const connect = useCallback(
    (hostId: string) =>
      void attempt(call(api.connectHost({ hostId }))).then((facts) => {
        if (facts) setStatus((old) => ({ ...old, [hostId]: { stage: 'connected', message: null, facts } }));
      }),
    [api, attempt],
  );
  const answer = (p: Prompt, a: Parameters<OomlabApi['answerPrompt']>[0]['answer']) => {
    setPrompts((old) => old.filter((x) => x.promptId !== p.promptId));
    void attempt(call(api.answerPrompt({ promptId: p.promptId, answer: a })));
  };
  const saveHost = async (h: HostInput) => {
    const saved = await attempt(call(api.saveHost(h)));
    await refreshHosts();
    return saved !== undefined;
  };

  // ---- runs
  const startRun = (r: RunRequest) =>
    void attempt(call(api.startRun({ hostId: r.hostId, scenarioId: r.scenario.id, params: r.params, pauseBetweenSteps: r.pauseBetweenSteps }))).then((res) => {
      if (!res) return;
      const host = hosts.find((h) => h.id === r.hostId);
      const run = new LiveRun(res.runId, (cb) => requestAnimationFrame(cb));
      liveRef.current = run;
      run.push(early.current.get(res.runId) ?? []);
      early.current.clear();
      const live: LiveInfo = {
        run,
        hostLabel: host?.kind === 'local' ? t('hosts.local') : (host?.label ?? r.hostId),
        scenario: r.scenario,
        phase: 'running',
        nextStep: null,
      };
      setSession({ kind: 'live', live });
      setView('player');
    });

  const saveExport: SaveExport = useCallback(
    (kind: ExportKind, suggestedName: string, content: string) =>
      void attempt(call(api.saveExport({ kind, suggestedName: suggestedName.replace(/[^A-Za-z0-9_. -]/g, '_'), content }))).then(savedNotice),
    [api, attempt, locale], // savedNotice changes only with the locale
  );

  const saveShared: SaveShared = useCallback(
    (suggestedName: string, content: string) => void attempt(call(api.saveSharedRecording({ suggestedName, content }))).then(savedNotice),
    [api, attempt, locale],
  );

  const setLocale = useCallback((l: Locale | null) => void attempt(call(api.setLocale({ locale: l })).then(setSettings)), [api, attempt]);

  // ---- menu
  const menuRef = useRef<(c: MenuCommand) => void>(() => undefined);
  menuRef.current = (c: MenuCommand) => {
    const s = sessionRef.current;
    switch (c) {
      case 'open-recording':
        return openFile();
      case 'save-recording':
        if (s?.kind === 'live') void attempt(call(api.saveRunRecording({ runId: s.live.run.runId }))).then(savedNotice);
        return;
      case 'export-png':
        return exportRequest.fire('png');
      case 'export-csv':
        return exportRequest.fire('csv');
      case 'export-html':
        return exportRequest.fire('html');
      case 'show-hosts':
        return setView('hosts');
      case 'show-scenarios':
        return setView('scenarios');
      case 'show-player':
        return setView('player');
      case 'try-demo':
        return setView('home');
      case 'lang-en':
        return setLocale('en');
      case 'lang-zh-CN':
        return setLocale('zh-CN');
    }
  };
  useEffect(() => api.on.menu(({ command }) => menuRef.current(command)), [api]);

  // The local host runs the lab on this machine's cgroups: only a Linux machine has them.
  const shownHosts = settings?.platform === 'linux' ? hosts : hosts.filter((h) => h.kind !== 'local');
  const connected = shownHosts.filter((h) => status[h.id]?.stage === 'connected');
  const prompt = prompts[0];

  return (
    <I18nProvider locale={locale}>
      <ThemeContext.Provider value={theme}>
      <div className="app" lang={locale} data-theme={theme}>
        <nav className="topbar" aria-label={t('nav.label')}>
          <span className="brand">☠ {t('app.title')}</span>
          {(['home', 'hosts', 'scenarios', 'player'] as const).map((v) => (
            <button key={v} className={view === v ? 'nav active' : 'nav'} aria-current={view === v ? 'page' : undefined} onClick={() => setView(v)} data-testid={`nav-${v}`}>
              {t(`nav.${v}`)}
            </button>
          ))}
          <span className="spacer" />
          <label className="lang">
            {t('theme.label')}{' '}
            <select data-testid="theme" value={themeChoice} onChange={(e) => setThemeChoice(e.currentTarget.value as ThemeChoice)}>
              {THEME_CHOICES.map((c) => (
                <option key={c} value={c}>
                  {t(`theme.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="lang">
            {t('lang.label')}{' '}
            <select
              data-testid="language"
              value={settings?.locale ?? ''}
              onChange={(e) => setLocale(e.currentTarget.value === '' ? null : (e.currentTarget.value as Locale))}
            >
              <option value="">{t('lang.system')}</option>
              <option value="en">English</option>
              <option value="zh-CN">简体中文</option>
            </select>
          </label>
        </nav>
        {browser && <BrowserNote locale={locale} />}
        <ErrorList errors={errors} dismiss={(id) => setErrors((old) => old.filter((e) => e.id !== id))} />
        {notice && (
          <div className="notice" role="status">
            {notice}
            <button onClick={() => setNotice(null)}>{t('error.dismiss')}</button>
          </div>
        )}
        <main className="content">
          {view === 'home' && <Home demos={demos} openDemo={openDemo} openFile={openFile} goHosts={() => setView('hosts')} />}
          {view === 'hosts' && (
            <HostsView
              hosts={shownHosts}
              status={status}
              settings={settings}
              connect={connect}
              disconnect={(id) => void attempt(call(api.disconnectHost({ hostId: id })))}
              save={saveHost}
              remove={(id) => void attempt(call(api.removeHost({ id }))).then(refreshHosts)}
              forgetSecret={(id) => void attempt(call(api.forgetSecret({ id }))).then(refreshHosts)}
              loadAliases={async () => (await attempt(call(api.listSshAliases()))) ?? []}
              loadKills={(hostId) => attempt(call(api.listHostKills({ hostId, sinceSec: 86400 })))}
              // A browser cannot hand the server a path from a file chooser: the field is typed there.
              pickIdentity={browser ? undefined : async () => (await attempt(call(api.pickIdentityFile())))?.path ?? null}
            />
          )}
          {view === 'scenarios' && (
            <ScenariosView scenarios={scenarios} connected={connected} run={startRun} folder={settings?.scenarioFolder ?? null} reload={() => void reloadScenarios()} />
          )}
          {view === 'player' &&
            (session === null ? (
              <p className="muted empty">{t('player.empty')}</p>
            ) : session.kind === 'replay' ? (
              <ReplayView key={session.key} rec={session.rec} saveExport={saveExport} saveShared={saveShared} exportRequest={exportRequest} />
            ) : (
              <LiveView
                live={session.live}
                exportRequest={exportRequest}
                saveExport={saveExport}
                saveShared={saveShared}
                onContinue={() => void attempt(call(api.continueRun({ runId: session.live.run.runId })))}
                onStop={() => void attempt(call(api.stopRun({ runId: session.live.run.runId })))}
                onSave={() => void attempt(call(api.saveRunRecording({ runId: session.live.run.runId }))).then(savedNotice)}
              />
            ))}
        </main>
        {prompt && <PromptDialog key={prompt.promptId} prompt={prompt} host={hosts.find((h) => h.id === prompt.hostId)} canRemember={settings?.secretStorageAvailable === true} answer={(a) => answer(prompt, a)} />}
        {keyChanged && <HostKeyChanged error={keyChanged} close={() => setKeyChanged(null)} />}
      </div>
      </ThemeContext.Provider>
    </I18nProvider>
  );
}
