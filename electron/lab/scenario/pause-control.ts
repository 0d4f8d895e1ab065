// What a front end is given to pause and resume a run (pause.ts makes it).
export interface PauseControl {
  pause(): Promise<void>;
  resume(): Promise<void>;
  readonly paused: boolean;
}
