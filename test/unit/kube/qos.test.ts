import { describe, expect, it } from 'vitest';
import { kubeletOomScoreAdj, podQos } from '../../../electron/lab/kube/qos';
import { formatQuantity, parseQuantity, quantityBytes } from '../../../electron/lab/kube/quantity';

const MI = 1024 * 1024;

describe('quantities', () => {
  it('reads the forms the API server prints', () => {
    expect(quantityBytes('123Mi')).toBe(128974848);
    expect(quantityBytes('2041888Ki')).toBe(2041888 * 1024);
    expect(quantityBytes('128974848')).toBe(128974848);
    expect(quantityBytes('1G')).toBe(1e9);
    expect(quantityBytes('1e3')).toBe(1000);
    expect(quantityBytes('0.5Gi')).toBe(512 * MI);
    expect(parseQuantity('500m')).toBe(0.5);
    expect(() => quantityBytes('12 Mi', 'limit')).toThrow(/limit: "12 Mi" is not a Kubernetes quantity/);
    expect(formatQuantity(128974848)).toBe('123Mi');
    expect(formatQuantity(1000)).toBe('1000');
  });
});

describe('podQos (GetPodQOS)', () => {
  it('memory limit only, request defaulted to it: Burstable (no cpu limit), as the write-up\'s pod', () => {
    expect(podQos([{ name: 'sh', resources: { limits: { memory: '123Mi' }, requests: { memory: '123Mi' } } }])).toBe('Burstable');
  });
  it('cpu and memory limits equal to requests in every container: Guaranteed', () => {
    expect(podQos([{ name: 'a', resources: { limits: { memory: '64Mi', cpu: '500m' }, requests: { memory: '64Mi', cpu: '0.5' } } }])).toBe('Guaranteed');
  });
  it('nothing set: BestEffort; requests below limits: Burstable', () => {
    expect(podQos([{ name: 'a' }, { name: 'b', resources: {} }])).toBe('BestEffort');
    expect(podQos([{ name: 'a', resources: { limits: { memory: '64Mi', cpu: '1' }, requests: { memory: '32Mi', cpu: '1' } } }])).toBe('Burstable');
  });
  it('one container without limits makes the pod Burstable', () => {
    expect(podQos([{ name: 'a', resources: { limits: { memory: '64Mi', cpu: '1' }, requests: { memory: '64Mi', cpu: '1' } } }, { name: 'b', resources: { requests: { memory: '1Mi' } } }])).toBe('Burstable');
  });
});

describe('kubeletOomScoreAdj', () => {
  it('the write-up\'s 939: request 123Mi on a node of 2041888Ki, with the kubelet\'s whole-number division', () => {
    // seeds/001: 123Mi limit (request defaults to it), node memory 2041888Ki, processes at oom_score_adj 939.
    const p = kubeletOomScoreAdj('Burstable', 123 * MI, 2041888 * 1024);
    expect(p.value).toBe(939);
    expect(p.arithmetic).toContain('1000 − ⌊1000 × 128974848 / 2090893312⌋ = 1000 − 61 = 939');
    expect(p.arithmetic).toContain('938.32');
  });
  it('Guaranteed -997, BestEffort 1000', () => {
    expect(kubeletOomScoreAdj('Guaranteed', 1, 2).value).toBe(-997);
    expect(kubeletOomScoreAdj('BestEffort', 0, 2).value).toBe(1000);
  });
  it('Burstable is clamped to [3, 999] (2 in older kubelets)', () => {
    expect(kubeletOomScoreAdj('Burstable', 999 * MI, 1000 * MI).value).toBe(3);
    expect(kubeletOomScoreAdj('Burstable', 999 * MI, 1000 * MI, { burstableMin: 2 }).value).toBe(2);
    expect(kubeletOomScoreAdj('Burstable', 0, 1000 * MI).value).toBe(999);
    expect(kubeletOomScoreAdj('Burstable', 500 * MI, 1000 * MI).value).toBe(500);
  });
  it('refuses nonsense capacities', () => {
    expect(() => kubeletOomScoreAdj('Burstable', 1, 0)).toThrow(/capacity/);
  });
});
