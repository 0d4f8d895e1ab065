// The one modal dialog: labelled by its title, focus moves in on open (to the
// element marked data-initial-focus, the safe choice) and back out on close,
// Tab and Shift+Tab stay inside, Escape means the dialog's cancel.

import { useEffect, useId, useRef, type ReactNode } from 'react';

const FOCUSABLE = 'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  title: string;
  children: ReactNode;
  testId: string;
  /** Escape (and the caller's cancel button) calls this. */
  onCancel: () => void;
  danger?: boolean;
  /** alertdialog: a warning or confirmation that needs an answer. */
  alert?: boolean;
}

export function Dialog({ title, children, testId, onCancel, danger, alert }: DialogProps) {
  const box = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const cancel = useRef(onCancel);
  cancel.current = onCancel;

  useEffect(() => {
    const el = box.current!;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    (el.querySelector<HTMLElement>('[data-initial-focus]') ?? el.querySelector<HTMLElement>(FOCUSABLE) ?? el).focus();
    // Focus that lands outside (a click on the backdrop, a screen reader's jump) comes back in.
    const keepIn = (e: FocusEvent) => {
      if (e.target instanceof Node && !el.contains(e.target)) (el.querySelector<HTMLElement>(FOCUSABLE) ?? el).focus();
    };
    document.addEventListener('focusin', keepIn);
    return () => {
      document.removeEventListener('focusin', keepIn);
      if (before?.isConnected) before.focus();
    };
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    // Keys inside a dialog are the dialog's: the player behind it must not see them.
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      cancel.current();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [...box.current!.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (items.length === 0) return e.preventDefault();
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="modal-backdrop">
      <div
        ref={box}
        className={danger ? 'modal danger' : 'modal'}
        role={alert ? 'alertdialog' : 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => e.stopPropagation()}
      >
        <h3 id={titleId}>{title}</h3>
        {children}
      </div>
    </div>
  );
}
