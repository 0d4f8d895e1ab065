// `--host local`: the same Transport contract as SSH, on this machine, through
// /bin/sh. Used by the CLI and by tests that need no sshd.

import { spawn, type ChildProcess } from 'node:child_process';
import { os } from './signals';
import { TimeoutError, type ExecOptions, type ExecResult, type ExitInfo, type RemoteProcess, type StreamOptions, type Transport } from './transport';
import { LineSplitter } from './lines';
import { remoteKillScript } from './remote-kill';

/**
 * Each command runs in a session of its own (detached = setsid), as sshd runs
 * each channel, so a kill takes the command with everything it started and,
 * through `sudo -n`, the root-owned part of it (ssh/remote-kill.ts).
 */
function killSession(child: ChildProcess): void {
  // The shell may be gone while what it started lives on: the session outlives its leader.
  if (child.pid === undefined) return;
  spawn('/bin/sh', ['-c', remoteKillScript(child.pid, 'KILL')], { stdio: 'ignore' }).on('error', () => child.kill('SIGKILL'));
}

export class LocalTransport implements Transport {
  readonly label = 'local';
  private readonly children = new Set<ChildProcess>();
  private closed = false;

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('local transport is closed'));
      const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      this.children.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.stdin.on('error', () => {}); // the command may exit without reading stdin
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      if (opts.timeoutMs) {
        timer = setTimeout(() => {
          timedOut = true;
          killSession(child);
        }, opts.timeoutMs);
      }
      const onAbort = () => killSession(child);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        this.children.delete(child);
        if (timedOut) return reject(new TimeoutError(command, opts.timeoutMs ?? 0));
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, signal: os(signal) });
      });
      child.stdin.end(opts.stdin ?? '');
    });
  }

  stream(command: string, opts: StreamOptions): RemoteProcess {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.children.add(child);
    const outLines = new LineSplitter((l) => opts.onLine(l, 'stdout'));
    const errLines = new LineSplitter((l) => opts.onLine(l, 'stderr'));
    child.stdout.on('data', (b: Buffer) => outLines.push(b));
    child.stderr.on('data', (b: Buffer) => errLines.push(b));
    child.stdin.on('error', () => {});
    const exit = new Promise<ExitInfo>((resolve) => {
      child.on('error', () => resolve({ code: null, signal: null }));
      child.on('close', (code, signal) => {
        outLines.flush();
        errLines.flush();
        this.children.delete(child);
        resolve({ code, signal: os(signal) });
      });
    });
    // Closing our end of stdin is what a dropped SSH channel looks like to the wrapper.
    const close = () => {
      if (!child.stdin.destroyed) child.stdin.end();
    };
    opts.signal?.addEventListener('abort', close, { once: true });
    return {
      write: (data) => {
        if (!child.stdin.destroyed) child.stdin.write(data);
      },
      close,
      pause: () => {
        child.stdout.pause();
        child.stderr.pause();
      },
      resume: () => {
        child.stdout.resume();
        child.stderr.resume();
      },
      exit,
    };
  }

  onDisconnect(): () => void {
    return () => {}; // a local shell never drops
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.children) if (!c.stdin?.destroyed) c.stdin?.end();
  }
}
