// The player's keys on the window: key -> action (state/keymap.ts), unless the
// user is typing in a field. Space on a focused button or checkbox stays that
// control's own activation, as everywhere else.

import { useEffect, useRef } from 'react';
import { actionForKey, type PlayerAction } from '../state/keymap';

function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLInputElement) return !['range', 'checkbox', 'radio', 'button', 'submit'].includes(el.type);
  return el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement || (el instanceof HTMLElement && el.isContentEditable);
}

function activatesOnSpace(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLInputElement) return el.type === 'checkbox' || el.type === 'radio';
  return el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement || el.tagName === 'SUMMARY';
}

export function usePlayerKeys(handle: (a: PlayerAction) => void): void {
  const latest = useRef(handle);
  latest.current = handle;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target instanceof Element ? e.target : null;
      if (isTextEntry(el)) return;
      const a = actionForKey(e);
      if (!a) return;
      if (a.kind === 'toggle-play' && activatesOnSpace(el)) return;
      // Space acts on keydown; its keyup is swallowed too, or it would also "click" whatever has focus.
      e.preventDefault();
      if (e.type === 'keydown' && !(e.repeat && a.kind === 'toggle-play')) latest.current(a);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKey);
    };
  }, []);
}

/** `f`: the player alone on the screen, and back. */
export function toggleFullscreen(el: HTMLElement | null): void {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  else void el?.requestFullscreen().catch(() => undefined);
}
