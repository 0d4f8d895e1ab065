import { describe, expect, it } from 'vitest';
import { accelArgs, chooseAccel } from '../../../electron/lab/labvm/accel';

describe('KVM or TCG', () => {
  it('uses KVM only with a hardware KVM module and access to /dev/kvm', () => {
    expect(chooseAccel({ devKvm: true, devKvmAccess: true, modules: ['kvm_intel'] }).accel).toBe('kvm');
    expect(chooseAccel({ devKvm: true, devKvmAccess: true, modules: ['kvm_amd'] }).accel).toBe('kvm');
  });

  it('falls back to TCG on a PVM /dev/kvm, without access, or without /dev/kvm', () => {
    const pvm = chooseAccel({ devKvm: true, devKvmAccess: true, modules: ['kvm_pvm'] });
    expect(pvm).toEqual({ accel: 'tcg', reason: expect.stringContaining('PVM') });
    expect(chooseAccel({ devKvm: true, devKvmAccess: false, modules: ['kvm_intel'] }).reason).toMatch(/kvm group/);
    expect(chooseAccel({ devKvm: false, devKvmAccess: false, modules: [] }).reason).toMatch(/no \/dev\/kvm/);
  });

  it('honours a forced choice, refusing KVM that cannot open', () => {
    expect(chooseAccel({ devKvm: true, devKvmAccess: true, modules: ['kvm_intel'] }, 'tcg').accel).toBe('tcg');
    expect(chooseAccel({ devKvm: true, devKvmAccess: true, modules: ['kvm_pvm'] }, 'kvm').accel).toBe('kvm');
    expect(() => chooseAccel({ devKvm: false, devKvmAccess: false, modules: [] }, 'kvm')).toThrow(/no \/dev\/kvm/);
  });

  it('caps the TCG translation cache', () => {
    expect(accelArgs('tcg')).toContain('tcg,thread=multi,tb-size=256');
    expect(accelArgs('kvm')).toEqual(['-accel', 'kvm', '-cpu', 'host']);
  });
});
