import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsonObjectSplitter, KubeParseError, parseEventList, parseNodeList, parsePod, parsePodList, parseWatchRecord } from '../../../electron/lab/kube/objects';
import { containerStatus, eventStatus, podStatus, runningContainer, whyNotRunning } from '../../../electron/lab/kube/status';
import { tracePodOfKill } from '../../../electron/lab/kube/trace';

// Real `kubectl get pod/elephant -o json` (test/fixtures/kube/README.md says where from).
const ELEPHANT = readFileSync(new URL('../../fixtures/kube/pod-elephant-crashloop.json', import.meta.url), 'utf8');

describe('parsePod on real kubectl output', () => {
  const pod = parsePod(ELEPHANT);
  it('reads identity, QoS, resources as stored (request 5Mi, limit 10Mi)', () => {
    expect(pod).toMatchObject({ name: 'elephant', namespace: 'default', uid: '0ab05b0a-e122-4153-8415-ee2b772d6148', phase: 'Running', qosClass: 'Burstable', nodeName: 'controlplane', restartPolicy: 'Always' });
    expect(pod.containers[0]).toMatchObject({ name: 'mem-stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '15M', '--vm-hang', '1'], resources: { requests: { memory: '5Mi' }, limits: { memory: '10Mi' } } });
  });
  it('reads the OOMKilled last state and the CrashLoopBackOff waiting state', () => {
    const c = pod.containerStatuses[0]!;
    expect(c.restartCount).toBe(1);
    expect(c.state).toMatchObject({ kind: 'waiting', reason: 'CrashLoopBackOff' });
    expect(c.state.message).toContain('back-off 10s restarting failed container=mem-stress');
    // stress's parent exits 1 when its worker is killed: reason OOMKilled, exit code 1 (not 137).
    expect(c.lastState).toMatchObject({ kind: 'terminated', reason: 'OOMKilled', exitCode: 1, containerID: 'containerd://720b7253bb461abb6c528b4bfd1fe3d647aeb2f5ab51ddba873ec973c4b975b1' });
    expect(runningContainer(pod, 'mem-stress')).toBeNull();
  });
  it('as status events: the pod and the container, OOM flagged, restarts counted', () => {
    expect(podStatus(pod)).toMatchObject({ subject: 'pod', name: 'default/elephant', phase: 'Running', reason: 'CrashLoopBackOff', restartCount: 1, oomKilled: true });
    const s = containerStatus(pod, pod.containerStatuses[0]!);
    expect(s).toMatchObject({ subject: 'container', name: 'default/elephant/mem-stress', phase: 'waiting', reason: 'CrashLoopBackOff', exitCode: 1, restartCount: 1, oomKilled: true });
    expect(s.message).toContain('last terminated: OOMKilled, exit code 1');
  });
  it('a crash loop is not a reason to give up waiting; an image that cannot be pulled is', () => {
    expect(whyNotRunning(pod, 'mem-stress')).toBeNull();
    const o = JSON.parse(ELEPHANT);
    o.status.containerStatuses[0].state = { waiting: { reason: 'ErrImageNeverPull', message: 'Container image "x" is not present with pull policy of Never' } };
    expect(whyNotRunning(parsePod(o), 'mem-stress')).toMatch(/default\/elephant: the image is not on the node and its pull policy is Never \(ErrImageNeverPull/);
    o.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient memory.' }];
    expect(whyNotRunning(parsePod(o), 'mem-stress')).toBe('pod default/elephant cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory.');
  });
  it('names the field that is wrong', () => {
    expect(() => parsePod('{"kind":"Pod","metadata":{"name":"x","namespace":"d"},"spec":{}}')).toThrow(/pod x\.spec\.containers: expected a list/);
    expect(() => parsePod('{"kind":"Service"}')).toThrow(KubeParseError);
    expect(() => parsePod('not json')).toThrow(/pod: not JSON/);
  });
  it('lists: kubectl prints kind List with kinds on the items', () => {
    const list = `{"apiVersion":"v1","items":[${ELEPHANT}],"kind":"List","metadata":{"resourceVersion":""}}`;
    expect(parsePodList(list).map((p) => p.name)).toEqual(['elephant']);
  });
});

describe('events, nodes, watch records', () => {
  it('an Event about the pod becomes a status line with its type, reason and message', () => {
    const [ev] = parseEventList({
      kind: 'List',
      items: [
        {
          kind: 'Event',
          metadata: { name: 'elephant.17ebd', namespace: 'default' },
          involvedObject: { kind: 'Pod', name: 'elephant', namespace: 'default', uid: '0ab05b0a-e122-4153-8415-ee2b772d6148', fieldPath: 'spec.containers{mem-stress}' },
          reason: 'BackOff',
          message: 'Back-off restarting failed container mem-stress in pod elephant_default(0ab05b0a-e122-4153-8415-ee2b772d6148)',
          type: 'Warning',
          count: 3,
          source: { component: 'kubelet', host: 'controlplane' },
        },
      ],
    });
    const s = eventStatus({ namespace: 'default', name: 'elephant', phase: 'Running' }, ev!);
    expect(s).toMatchObject({ subject: 'pod', reason: 'BackOff', phase: 'Running' });
    expect(s.message).toBe('Warning BackOff (spec.containers{mem-stress}): Back-off restarting failed container mem-stress in pod elephant_default(0ab05b0a-e122-4153-8415-ee2b772d6148) (×3) — kubelet');
  });
  it('node capacity as printed', () => {
    const [n] = parseNodeList({ kind: 'NodeList', items: [{ kind: 'Node', metadata: { name: 'k3s', labels: { 'kubernetes.io/hostname': 'k3s' } }, status: { capacity: { memory: '2041888Ki' }, allocatable: { memory: '2041888Ki' }, conditions: [{ type: 'Ready', status: 'True' }] } }] });
    expect(n).toMatchObject({ name: 'k3s', capacityMemory: '2041888Ki', ready: true });
  });
  it('watch records, compact (one per line) or indented', () => {
    const sp = new JsonObjectSplitter();
    expect(sp.push('{"type":"ADDED","object":{"kind":"Pod","a":"}{"}}')).toHaveLength(1);
    const out: string[] = [];
    for (const line of `{"type": "MODIFIED", "object": ${ELEPHANT}}`.split('\n')) out.push(...sp.push(line));
    expect(out).toHaveLength(1);
    const rec = parseWatchRecord(out[0]!);
    expect(rec.type).toBe('MODIFIED');
    expect(parsePod(rec.object).name).toBe('elephant');
    expect(() => parseWatchRecord('{"type":"NOPE","object":{}}')).toThrow(/watch\.type/);
  });
});

describe('tracePodOfKill: from the kernel report to the pod', () => {
  it('uid in the report path -> pod name and namespace, container id -> the container (last terminated)', () => {
    const pod = parsePod(ELEPHANT);
    const uid = pod.uid;
    const id = '720b7253bb461abb6c528b4bfd1fe3d647aeb2f5ab51ddba873ec973c4b975b1';
    const tr = tracePodOfKill({ pid: 4242, comm: 'stress', podUid: uid, containerId: id, taskMemcg: `/kubepods/burstable/pod${uid}/${id}`, memcg: `/kubepods/burstable/pod${uid}` }, [pod]);
    expect(tr).toMatchObject({ podUid: uid, pod: { namespace: 'default', name: 'elephant' }, container: 'mem-stress' });
    expect(tr!.text).toBe(`kernel killed pid 4242 (stress) in /kubepods/burstable/pod${uid}/${id} → pod uid ${uid} → pod default/elephant (QoS Burstable, node controlplane), container mem-stress (id 720b7253bb46)`);
  });
  it('seeds/004: a uid no pod has any more', () => {
    const tr = tracePodOfKill({ pid: 1, comm: 'java', podUid: '0f5eb28f-6722-4cf5-ab0f-b62748c018d4', containerId: null, taskMemcg: null, memcg: '/kubepods/burstable/pod0f5eb28f-6722-4cf5-ab0f-b62748c018d4' }, []);
    expect(tr!.pod).toBeNull();
    expect(tr!.text).toContain('no pod with that uid');
  });
});
