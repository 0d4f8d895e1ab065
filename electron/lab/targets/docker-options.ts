// What a scenario may choose about a docker target (TargetSpec.docker).
import type { RunMode } from '../docker/commands';

export interface DockerTargetOptions {
  /** "oomlab/stress" (the default): built on the host from its own binaries. Anything else must already be on the host. */
  image?: string;
  /** Default "main". */
  mode?: RunMode;
  /** Default "none". */
  network?: string;
  /** PID 1 gives up after this long (seconds); default 6 h. The keeper channel and the sweep remove it earlier. */
  lifetimeSec?: number;
}
