// The theme in the page: the choice is kept in localStorage (a display
// preference, nothing main needs), "system" follows prefers-color-scheme as it
// changes, and <html> carries data-theme; app.css sets color-scheme for each,
// so native controls (scrollbars, dropdowns) match.

import { createContext, useEffect, useLayoutEffect, useState } from 'react';
import { parseThemeChoice, resolveTheme, THEME_STORAGE_KEY, type Theme, type ThemeChoice } from './theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

export function useTheme(): { choice: ThemeChoice; theme: Theme; setChoice: (c: ThemeChoice) => void } {
  const [choice, setChoiceState] = useState<ThemeChoice>(() => parseThemeChoice(safeGet()));
  const [systemDark, setSystemDark] = useState(() => window.matchMedia(DARK_QUERY).matches);
  useEffect(() => {
    const mq = window.matchMedia(DARK_QUERY);
    const on = () => setSystemDark(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  const theme = resolveTheme(choice, systemDark);
  // Before paint, so the first frame (and any chart drawn after it) already has the theme's colours.
  useLayoutEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
  }, [theme]);
  const setChoice = (c: ThemeChoice) => {
    setChoiceState(c);
    try {
      localStorage.setItem(THEME_STORAGE_KEY, c);
    } catch {
      // Storage can be unavailable; the choice then lasts for this session.
    }
  };
  return { choice, theme, setChoice };
}

function safeGet(): string | null {
  try {
    return localStorage.getItem(THEME_STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The resolved theme for components that paint (charts redraw when it changes). */
export const ThemeContext = createContext<Theme>('dark');
