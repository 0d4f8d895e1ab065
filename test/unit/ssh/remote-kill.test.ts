// The kill script (ssh/remote-kill.ts) as text; its effect on real processes
// is in test/integration/ssh/sudo-kill.test.ts and local-kill.test.ts.
import { describe, expect, it } from 'vitest';
import { remoteKillScript } from '../../../electron/lab/ssh/remote-kill';

describe('remoteKillScript', () => {
  it('takes only a real pid', () => {
    for (const bad of [0, 1, -5, 1.5, Number.NaN]) expect(() => remoteKillScript(bad, 'KILL')).toThrow(/not a process id/);
  });
  it('signals the session, then what is left through sudo -n only when not root', () => {
    const s = remoteKillScript(4242, 'TERM');
    expect(s).toMatch(/^P=4242; S=TERM\n/);
    expect(s).toContain('[ "$(id -u)" != 0 ] && sudo -n kill -s "$S" $left');
    expect(s).not.toMatch(/sudo (?!-n)/);
  });
});
