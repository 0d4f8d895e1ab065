// The host-key dialog (renderer/components/Prompts.tsx), rendered to markup:
// a first contact defaults to "trust and remember"; a host with keys of other
// types recorded shows OpenSSH's warning and defaults to cancel (issue 13 item 4).
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { PromptDialog } from '../../../renderer/components/Prompts';
import type { Prompt } from '../../../electron/ipc';

const base = { promptId: 'p-1', hostId: 'h-1', host: 'root@lab:22', kind: 'host-key', keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' } as const;

function render(p: Prompt): { primary: string[]; html: string } {
  const html = renderToStaticMarkup(<PromptDialog prompt={p} host={undefined} canRemember={false} answer={() => undefined} />);
  const primary = [...html.matchAll(/<button class="primary"[^>]*data-testid="([^"]+)"/g)].map((m) => m[1]!);
  return { primary, html };
}

describe('host-key prompt', () => {
  it('first contact: "trust and remember" is the default', () => {
    const { primary, html } = render({ ...base, otherTypes: [], warning: null });
    expect(primary).toEqual(['trust-remember']);
    expect(html).not.toContain('host-key-warning');
  });

  it('keys of other types recorded: OpenSSH\'s warning, cancel is the default and comes first', () => {
    const warning = "The authenticity of host 'lab' can't be established\nbut keys of different type are already known for this host.";
    const { primary, html } = render({ ...base, otherTypes: ['ecdsa-sha2-nistp256 (/k:1)'], warning });
    expect(primary).toEqual(['trust-cancel']);
    expect(html.indexOf('trust-cancel')).toBeLessThan(html.indexOf('trust-once'));
    expect(html).toContain('class="modal danger"');
    expect(html).toContain('but keys of different type are already known for this host.');
  });
});
