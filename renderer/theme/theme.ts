// Light and dark themes: the choice (system, light or dark), what it resolves
// to, and the chart palette read from the theme's CSS variables, so the
// canvas never carries a colour of its own. Pure; the hook lives in use-theme.ts.

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
export const THEME_STORAGE_KEY = 'oomlab.theme';

export function parseThemeChoice(stored: string | null | undefined): ThemeChoice {
  return THEME_CHOICES.includes(stored as ThemeChoice) ? (stored as ThemeChoice) : 'system';
}

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): Theme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

/** Every colour a chart paints, by the CSS custom property that holds it (app.css defines both themes). */
export const CHART_VARS = {
  usage: '--chart-usage',
  workingSet: '--chart-working-set',
  cache: '--chart-cache',
  peak: '--chart-peak',
  limit: '--chart-limit',
  failcnt: '--chart-failcnt',
  oomKills: '--chart-oom-kills',
  kill: '--chart-kill',
  step: '--chart-step',
  labelText: '--chart-label-text',
  killLabel: '--chart-kill-label',
  stepLabel: '--chart-step-label',
  pause: '--chart-pause',
  limitLabel: '--chart-limit-label',
  text: '--chart-text',
  grid: '--chart-grid',
  background: '--chart-background',
} as const;

export type ChartPalette = Record<keyof typeof CHART_VARS, string>;

/**
 * Reads the palette through `read` (getComputedStyle(...).getPropertyValue in
 * the page). A variable the stylesheet lacks is a bug in app.css, named here.
 */
export function chartPalette(read: (cssVar: string) => string): ChartPalette {
  const out = {} as ChartPalette;
  for (const [key, cssVar] of Object.entries(CHART_VARS) as Array<[keyof ChartPalette, string]>) {
    const v = read(cssVar).trim();
    if (!v) throw new Error(`app.css defines no ${cssVar} for the current theme`);
    out[key] = v;
  }
  return out;
}
