// Which subcommand a command line runs: only that one is loaded at start-up.
import { describe, expect, it } from 'vitest';
import { invokedCommand } from '../../../electron/cli/commands';

describe('invokedCommand', () => {
  it('is the first word that names a command, `help X` included', () => {
    expect(invokedCommand(['run', 'two-workers-123mi', '--host', 'local'])).toBe('run');
    expect(invokedCommand(['--debug', 'replay', 'r.ndjson'])).toBe('replay');
    expect(invokedCommand(['help', 'kmsg'])).toBe('kmsg');
  });
  it('is none for --help, --version, an unknown word or a prototype key', () => {
    expect(invokedCommand(['--help'])).toBeNull();
    expect(invokedCommand(['-V'])).toBeNull();
    expect(invokedCommand(['frobnicate'])).toBeNull();
    expect(invokedCommand(['constructor'])).toBeNull();
  });
});
