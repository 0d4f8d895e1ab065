// A paused gate holds every wait's deadline: the time spent paused does not count.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Aborted, EventGate, WaitTimeout } from '../../../electron/lab/scenario/event-gate';

describe('EventGate pause', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const gate = () => new EventGate(new AbortController().signal, () => new Aborted('interrupted'));

  it('a 1 s wait paused after 0.4 s for 10 s times out 0.6 s after resume, not before', async () => {
    const g = gate();
    let outcome: unknown = null;
    g.until(() => null, 1000, () => 'ran out').catch((e: unknown) => (outcome = e));
    await vi.advanceTimersByTimeAsync(400);
    g.pause();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(outcome).toBeNull();
    g.resume();
    await vi.advanceTimersByTimeAsync(550);
    expect(outcome).toBeNull();
    await vi.advanceTimersByTimeAsync(100);
    expect(outcome).toBeInstanceOf(WaitTimeout);
  });

  it('a wait started while paused does not count until resume, and a met condition still resolves while paused', async () => {
    const g = gate();
    g.pause();
    let timedOut = false;
    g.until(() => null, 100, () => '').catch(() => (timedOut = true));
    let ready = false;
    const met = g.until(() => (ready ? 'yes' : null), 100, () => '');
    await vi.advanceTimersByTimeAsync(5000);
    expect(timedOut).toBe(false);
    ready = true;
    g.notify();
    await expect(met).resolves.toBe('yes');
    g.resume();
    await vi.advanceTimersByTimeAsync(100);
    expect(timedOut).toBe(true);
  });

  it('sleep (a hold) is stretched by the pause', async () => {
    const g = gate();
    let slept = false;
    void g.sleep(1000).then(() => (slept = true));
    g.pause();
    await vi.advanceTimersByTimeAsync(3000);
    expect(slept).toBe(false);
    g.resume();
    await vi.advanceTimersByTimeAsync(1000);
    expect(slept).toBe(true);
  });
});
