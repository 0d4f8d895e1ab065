// KVM or TCG. /dev/kvm existing is not enough: some cloud machines expose a
// paravirtual PVM device (kvm_pvm) that opens fine but needs a special guest
// kernel, and a stock Debian kernel then crawls. Real hardware KVM on x86 is
// backed by kvm_intel or kvm_amd, so that is what we look for.

import { accessSync, constants, existsSync } from 'node:fs';

export type Accel = 'kvm' | 'tcg';

export interface AccelChoice {
  accel: Accel;
  /** Why, in words for `oomlab labvm status` and logs. */
  reason: string;
}

export interface AccelProbe {
  devKvm: boolean;
  devKvmAccess: boolean;
  modules: string[];
}

export function probeAccel(): AccelProbe {
  let access = false;
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    access = true;
  } catch {
    /* no access */
  }
  return {
    devKvm: existsSync('/dev/kvm'),
    devKvmAccess: access,
    modules: ['kvm_intel', 'kvm_amd', 'kvm_pvm'].filter((m) => existsSync(`/sys/module/${m}`)),
  };
}

/** `requested` is 'auto' (default), or a forced choice ($OOMLAB_LABVM_ACCEL / --accel). */
export function chooseAccel(p: AccelProbe, requested: 'auto' | Accel = 'auto'): AccelChoice {
  if (requested === 'tcg') return { accel: 'tcg', reason: 'TCG requested' };
  const problem = !p.devKvm
    ? 'no /dev/kvm'
    : !p.devKvmAccess
      ? 'no read/write access to /dev/kvm (join the kvm group)'
      : !p.modules.includes('kvm_intel') && !p.modules.includes('kvm_amd')
        ? p.modules.includes('kvm_pvm')
          ? '/dev/kvm is a paravirtual PVM device, which a stock guest kernel cannot use at speed'
          : 'neither kvm_intel nor kvm_amd is loaded'
        : null;
  if (requested === 'kvm') {
    if (problem && !p.devKvmAccess) throw new Error(`KVM requested but ${problem}`);
    return { accel: 'kvm', reason: problem ? `KVM requested (although ${problem})` : 'KVM requested' };
  }
  if (problem) return { accel: 'tcg', reason: `TCG (software emulation): ${problem}` };
  return { accel: 'kvm', reason: `KVM (${p.modules.filter((m) => m !== 'kvm_pvm').join(', ')})` };
}

/** qemu arguments for the choice. tb-size caps TCG's code cache: without it qemu takes ~1.7 GB. */
export function accelArgs(a: Accel): string[] {
  return a === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg,thread=multi,tb-size=256', '-cpu', 'max'];
}
