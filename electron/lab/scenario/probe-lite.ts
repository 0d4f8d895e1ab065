// Kept for callers written while the full probe was being built: it is now
// the full probe (electron/lab/host/probe.ts). New code imports probeHost.
export { probeHost as probeLite } from '../host/probe';
