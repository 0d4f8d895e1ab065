import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CHART_VARS, chartPalette, parseThemeChoice, resolveTheme } from '../../../renderer/theme/theme';
import { clampWindow, killWindow, scaleWindow } from '../../../renderer/charts/zoom';

const css = readFileSync(new URL('../../../renderer/styles/app.css', import.meta.url), 'utf8');
/** The custom properties one theme block of app.css sets. */
function themeBlock(theme: 'light' | 'dark'): Map<string, string> {
  const m = new RegExp(`:root${theme === 'dark' ? ", :root\\[data-theme='dark'\\]" : "\\[data-theme='light'\\]"} \\{([^}]*)\\}`).exec(css);
  if (!m) throw new Error(`no ${theme} block in app.css`);
  return new Map([...m[1]!.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((x) => [x[1]!, x[2]!.trim()]));
}

describe('theme', () => {
  it('follows the system unless light or dark is chosen', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('reads a stored choice, anything else is "system"', () => {
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice('light')).toBe('light');
    expect(parseThemeChoice(null)).toBe('system');
    expect(parseThemeChoice('solarized')).toBe('system');
  });

  it('app.css gives both themes every chart colour and a color-scheme, and they differ', () => {
    const dark = themeBlock('dark');
    const light = themeBlock('light');
    const pd = chartPalette((v) => dark.get(v) ?? '');
    const pl = chartPalette((v) => light.get(v) ?? '');
    expect(Object.keys(pd).sort()).toEqual(Object.keys(CHART_VARS).sort());
    expect(pd.usage).not.toBe(pl.usage);
    expect(pd.background).not.toBe(pl.background);
    expect(css).toMatch(/:root\[data-theme='light'\] \{\s*color-scheme: light;/);
    expect(css).toMatch(/:root, :root\[data-theme='dark'\] \{\s*color-scheme: dark;/);
  });

  it('names a chart colour the stylesheet lacks', () => {
    expect(() => chartPalette((v) => (v === '--chart-peak' ? '' : '#000'))).toThrow(/--chart-peak/);
  });
});

describe('chart window', () => {
  it('zooms to a kill with a second around it, kept inside the run', () => {
    expect(killWindow(10_000, 60)).toEqual({ min: 9.5, max: 10.5 });
    expect(killWindow(200, 60)).toEqual({ min: 0, max: 1 });
    expect(killWindow(59_900, 60)).toEqual({ min: 59, max: 60 });
  });

  it('zooms in and out about the centre; the whole run is no zoom', () => {
    expect(scaleWindow(null, 60, 0.5)).toEqual({ min: 15, max: 45 });
    expect(scaleWindow({ min: 15, max: 45 }, 60, 2)).toBeNull();
    expect(clampWindow({ min: 10, max: 10.01 }, 60)).toEqual({ min: 10, max: 10.2 });
  });
});
