// What the terminal on stdout can show, by the conventions other tools follow:
// not a TTY or TERM=dumb gets plain lines (no rewritten status line, no
// colour); NO_COLOR (set and not empty, no-color.org) turns colour off only.
export interface TerminalCaps {
  live: boolean;
  colour: boolean;
}

export function terminalCaps(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): TerminalCaps {
  const live = stream.isTTY === true && env.TERM !== 'dumb';
  return { live, colour: live && !env.NO_COLOR };
}
