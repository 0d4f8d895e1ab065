// The pod's QoS class and the oom_score_adj the kubelet gives its containers.
// Pure; follows the kubelet's own rules (pkg/apis/core/v1/helper/qos GetPodQOS
// and pkg/kubelet/qos/policy.go GetContainerOOMScoreAdjust):
//   Guaranteed -997, BestEffort 1000,
//   Burstable  1000 - (1000 * memoryRequest) / memoryCapacity  in int64 arithmetic
//              (the division truncates), clamped below at 3 (1000 + Guaranteed's
//              -997; kubelets before that change used 2) and 1000 -> 999.
//   The pod sandbox ("pause") gets -998.
// memoryCapacity is the node's capacity (cAdvisor's MemTotal), not allocatable.

import { formatQuantity, parseQuantity, quantityBytes } from './quantity';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export interface ResourceList {
  cpu?: string | number;
  memory?: string | number;
}

export interface ContainerResources {
  name: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BESTEFFORT_OOM_SCORE_ADJ = 1000;
export const SANDBOX_OOM_SCORE_ADJ = -998;

const COMPUTE = ['cpu', 'memory'] as const;

function positive(list: ResourceList | undefined, name: 'cpu' | 'memory', where: string): number | null {
  const v = list?.[name];
  if (v === undefined) return null;
  // memory in bytes, cpu in millicores: only the sign and equality matter here.
  const n = name === 'memory' ? quantityBytes(v, `${where}.${name}`) : Math.round(parseQuantity(v, `${where}.${name}`) * 1000);
  return n > 0 ? n : null;
}

/**
 * GetPodQOS: BestEffort when no container has a cpu/memory request or limit;
 * Guaranteed when every container limits both cpu and memory and the pod's
 * summed requests equal its summed limits; Burstable otherwise. Requests are
 * taken as stored by the API server (which defaults a missing request to its limit).
 */
export function podQos(containers: readonly ContainerResources[]): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of containers) {
    const where = `container ${c.name}`;
    for (const r of COMPUTE) {
      const q = positive(c.resources?.requests, r, `${where}.requests`);
      if (q !== null) requests.set(r, (requests.get(r) ?? 0) + q);
    }
    const found = new Set<string>();
    for (const r of COMPUTE) {
      const q = positive(c.resources?.limits, r, `${where}.limits`);
      if (q !== null) {
        found.add(r);
        limits.set(r, (limits.get(r) ?? 0) + q);
      }
    }
    if (!COMPUTE.every((r) => found.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [r, q] of requests) if (limits.get(r) !== q) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

export interface OomScoreAdjPolicy {
  qos: QosClass;
  value: number;
  /** How the value follows, in one line, e.g. "1000 − ⌊1000 × 128974848 / 2090893312⌋ = 1000 − 61 = 939". */
  arithmetic: string;
}

export interface PolicyOptions {
  /** Lower bound for Burstable: 3 in current kubelets, 2 in older ones. */
  burstableMin?: 2 | 3;
}

/** The kubelet's oom_score_adj for one container (memoryRequest/capacity in bytes). */
export function kubeletOomScoreAdj(qos: QosClass, memoryRequestBytes: number, memoryCapacityBytes: number, opts: PolicyOptions = {}): OomScoreAdjPolicy {
  if (qos === 'Guaranteed') return { qos, value: GUARANTEED_OOM_SCORE_ADJ, arithmetic: `Guaranteed pod: ${GUARANTEED_OOM_SCORE_ADJ}` };
  if (qos === 'BestEffort') return { qos, value: BESTEFFORT_OOM_SCORE_ADJ, arithmetic: `BestEffort pod: ${BESTEFFORT_OOM_SCORE_ADJ}` };
  if (!Number.isInteger(memoryCapacityBytes) || memoryCapacityBytes <= 0) throw new Error(`node memory capacity ${memoryCapacityBytes}: expected a positive whole number of bytes`);
  if (!Number.isInteger(memoryRequestBytes) || memoryRequestBytes < 0) throw new Error(`memory request ${memoryRequestBytes}: expected a whole number of bytes`);
  const min = opts.burstableMin ?? 3;
  // int64 arithmetic as the kubelet does it: exact, truncating division.
  const share = (1000n * BigInt(memoryRequestBytes)) / BigInt(memoryCapacityBytes);
  const raw = 1000 - Number(share);
  const exact = 1000 - (1000 * memoryRequestBytes) / memoryCapacityBytes;
  let value = raw;
  let clamp = '';
  if (raw < min) {
    value = min;
    clamp = `, raised to the floor of ${min}`;
  } else if (raw === BESTEFFORT_OOM_SCORE_ADJ) {
    value = 999;
    clamp = ', lowered to 999 to stay below BestEffort';
  }
  const arithmetic =
    `Burstable: 1000 − ⌊1000 × ${memoryRequestBytes} / ${memoryCapacityBytes}⌋ = 1000 − ${share} = ${raw}${clamp}` +
    ` (request ${formatQuantity(memoryRequestBytes)}, node capacity ${formatQuantity(memoryCapacityBytes)}; unrounded ${exact.toFixed(2)}, the kubelet divides whole numbers)`;
  return { qos, value, arithmetic };
}
