import { describe, expect, it } from 'vitest';
import { actionForKey, FINE_SEEK_MS, KEY_HELP, seekTarget, type KeyInput, type Position } from '../../../renderer/state/keymap';
import { messages } from '../../../renderer/i18n/messages';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ key: k, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, ...mods });
const pos: Position = { time: 5_000, total: 20_000, steps: [100, 4_000, 12_000], kills: [7_000, 15_000], frames: [4_950, 5_000, 5_050, 5_100] };
const to = (k: KeyInput, p: Position = pos) => {
  const a = actionForKey(k);
  return a ? seekTarget(a, p) : undefined;
};

describe('player keys', () => {
  it('0–9 jump to 0–90 % of the run', () => {
    expect(to(key('0'))).toBe(0);
    expect(to(key('5'))).toBe(10_000);
    expect(to(key('9'))).toBe(18_000);
  });

  it('←/→ move between steps, [ ] between kills; ← before the first step goes to the start', () => {
    expect(to(key('ArrowRight'))).toBe(12_000);
    expect(to(key('ArrowLeft'))).toBe(4_000);
    expect(to(key('ArrowLeft'), { ...pos, time: 150 })).toBe(0);
    expect(to(key(']'))).toBe(7_000);
    expect(to(key('['))).toBeNull();
    expect(to(key('['), { ...pos, time: 16_000 })).toBe(15_000);
    expect(to(key(']'), { ...pos, time: 15_000 })).toBeNull();
  });

  it('Shift+←/→ seek finely and stay inside the run', () => {
    expect(to(key('ArrowRight', { shiftKey: true }))).toBe(5_000 + FINE_SEEK_MS);
    expect(to(key('ArrowLeft', { shiftKey: true }))).toBe(5_000 - FINE_SEEK_MS);
    expect(to(key('ArrowLeft', { shiftKey: true }), { ...pos, time: 100 })).toBe(0);
    expect(to(key('ArrowRight', { shiftKey: true }), { ...pos, time: 19_900 })).toBe(20_000);
  });

  it('`.` steps to the next sample', () => {
    expect(to(key('.'))).toBe(5_050);
    expect(to(key('.'), { ...pos, time: 5_100 })).toBeNull();
  });

  it('space, f and ? are actions that do not seek', () => {
    expect(actionForKey(key(' '))).toEqual({ kind: 'toggle-play' });
    expect(actionForKey(key('f'))).toEqual({ kind: 'fullscreen' });
    expect(actionForKey(key('?', { shiftKey: true }))).toEqual({ kind: 'help' });
    expect(seekTarget({ kind: 'toggle-play' }, pos)).toBeNull();
  });

  it('leaves browser and system shortcuts alone, and unknown keys', () => {
    expect(actionForKey(key('0', { ctrlKey: true }))).toBeNull();
    expect(actionForKey(key('ArrowLeft', { altKey: true }))).toBeNull();
    expect(actionForKey(key('f', { metaKey: true }))).toBeNull();
    expect(actionForKey(key('x'))).toBeNull();
    expect(actionForKey(key('Enter'))).toBeNull();
  });

  it('the ? overlay lists every key with a text in both languages', () => {
    for (const [, what] of KEY_HELP) {
      expect(messages.en[what]).toBeTruthy();
      expect(messages['zh-CN'][what]).toBeTruthy();
    }
  });
});
