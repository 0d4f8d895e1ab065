/** Node reports "SIGKILL"; events carry "KILL" as ssh2 does. */
export function os(signal: NodeJS.Signals | string | null | undefined): string | null {
  if (!signal) return null;
  return signal.startsWith('SIG') ? signal.slice(3) : signal;
}
