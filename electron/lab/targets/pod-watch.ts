// Following the lab pod on the timeline: two `kubectl --watch` streams (the pod
// itself, and the Events about it) become `status` events, each emitted only
// when it changed, and tell when the pod runs (or why it will not). A watch the
// API server ends (they time out) is started again until stop().

import type { LabEventBody } from '../events';
import type { RemoteProcess } from '../ssh/transport';
import type { Kubectl } from '../kube/kubectl';
import { JsonObjectSplitter, parseEventList, parsePod, parseWatchRecord, type Pod } from '../kube/objects';
import { CONTAINER_NAME } from '../kube/manifest';
import { eventStatus, runningContainer, statusesOf, whyNotRunning, type StatusBody } from '../kube/status';
import { TargetError } from './target';

export class PodWatch {
  private watches: RemoteProcess[] = [];
  private readonly seen = new Map<string, string>();
  private readonly seenEvents = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private stopping = false;
  /** The pod as last seen. */
  private latest: Pod;

  constructor(
    private readonly kubectl: Kubectl,
    private readonly pod: Pod,
    private readonly say: (body: LabEventBody) => void,
    /** Every new state of this pod (same uid). */
    private readonly onPod: (pod: Pod) => void,
  ) {
    this.latest = pod;
  }

  start(): void {
    const pod = this.pod;
    this.watch(['get', 'pod', pod.name, '-n', pod.namespace, '-o', 'json', '--watch', '--output-watch-events'], (o) => this.onPodObject(o), `watch pod ${pod.name}`);
    this.watch(
      ['get', 'events', '-n', pod.namespace, '--field-selector', `involvedObject.uid=${pod.uid}`, '-o', 'json', '--watch', '--output-watch-events'],
      (o) => this.onEventObject(o),
      `watch events of ${pod.name}`,
    );
  }

  /** Resolves when the lab container runs; rejects with the reason it cannot, or after timeoutMs. */
  untilRunning(timeoutMs: number, host: string): Promise<void> {
    let lastWhat = '';
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        const pod = this.latest;
        const why = whyNotRunning(pod, CONTAINER_NAME);
        if (why) return done(new TargetError(`${host}: ${why}`));
        const c = pod.containerStatuses.find((x) => x.name === CONTAINER_NAME);
        const what = `${pod.phase}${c?.state.reason ? ` (${c.state.reason})` : ''}`;
        if (what !== lastWhat) {
          lastWhat = what;
          this.say({ kind: 'action', step: null, text: `pod ${pod.namespace}/${pod.name}: ${what}` });
        }
        if (runningContainer(pod, CONTAINER_NAME)) done(null);
      };
      const timer = setTimeout(() => done(new TargetError(`${host}: pod ${this.pod.namespace}/${this.pod.name} is not running after ${Math.round(timeoutMs / 1000)} s (last: ${lastWhat || 'no status'})`)), timeoutMs);
      const done = (err: Error | null) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  stop(): void {
    this.stopping = true;
    for (const w of this.watches) w.close();
    this.watches = [];
  }

  private watch(args: string[], onObject: (o: Record<string, unknown>) => void, what: string): void {
    if (this.stopping) return;
    const split = new JsonObjectSplitter();
    const proc = this.kubectl.stream(args, {
      onLine: (line, fd) => {
        if (fd === 'stderr') {
          if (line.trim()) this.say({ kind: 'warning', message: `kubectl ${what}: ${line.trim()}` });
          return;
        }
        for (const text of split.push(line)) {
          try {
            const rec = parseWatchRecord(text, `kubectl ${what}`);
            if (rec.type !== 'ERROR' && rec.type !== 'BOOKMARK') onObject({ ...rec.object, __type: rec.type });
          } catch (err) {
            this.say({ kind: 'warning', message: (err as Error).message });
          }
        }
      },
    });
    this.watches.push(proc);
    proc.exit.then(() => {
      this.watches = this.watches.filter((w) => w !== proc);
      if (!this.stopping) setTimeout(() => this.watch(args, onObject, what), 500);
    });
  }

  private onPodObject(o: Record<string, unknown>): void {
    if (o.__type === 'DELETED') return;
    delete o.__type;
    let pod: Pod;
    try {
      pod = parsePod(o, `watch pod ${this.pod.name}`);
    } catch (e) {
      this.say({ kind: 'warning', message: (e as Error).message });
      return;
    }
    if (pod.uid !== this.pod.uid) return;
    this.latest = pod;
    this.onPod(pod);
    for (const s of statusesOf(pod)) this.status(s);
    for (const w of [...this.waiters]) w();
  }

  private onEventObject(o: Record<string, unknown>): void {
    delete o.__type;
    try {
      const list = parseEventList({ kind: 'EventList', items: [{ kind: 'Event', ...o }] });
      const ev = list[0]!;
      const key = ev.uid ?? ev.name;
      if ((this.seenEvents.get(key) ?? 0) >= ev.count) return;
      this.seenEvents.set(key, ev.count);
      this.status(eventStatus({ namespace: this.pod.namespace, name: this.pod.name, phase: this.latest.phase }, ev));
    } catch (e) {
      this.say({ kind: 'warning', message: (e as Error).message });
    }
  }

  /** Emit a status only when it changed (per subject and name). */
  private status(s: StatusBody): void {
    const key = `${s.subject}:${s.name}:${s.message?.startsWith('Normal ') || s.message?.startsWith('Warning ') ? 'event' : 'state'}`;
    const text = JSON.stringify(s);
    if (this.seen.get(key) === text) return;
    this.seen.set(key, text);
    this.say(s);
  }
}
