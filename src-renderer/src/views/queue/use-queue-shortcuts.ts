import { useEffect, useRef } from 'react';
import type { MenuAction } from '../../lib/job-menu';

export interface ShortcutHandlers {
  action(action: MenuAction): void;
  /** Opens the context menu for the selection (the Menu key, Shift+F10). */
  menu(): void;
  move(delta: number, extend: boolean): void;
  selectAll(): void;
  open(): void;
  clear(): void;
}

/** True when a key press belongs to a text field or an open dialog, not to the queue. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('[role="dialog"], [role="alertdialog"]')) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/**
 * The queue's keys, on the window so they work without first clicking into the table:
 * ↑/↓ (Shift extends), Home/End, PgUp/PgDn, Ctrl+A, Enter opens, P pause (after the frame in progress), Shift+P pause now, R resume, X cancel,
 * Shift+R retry, Shift+Q requeue all, M modify, D duplicate, Shift+D duplicate and edit, O output folder,
 * Shift+C copy scene path, Shift+E report, Del delete, +/− or Alt+↑/↓ priority, Esc clears the selection,
 * the Menu key or Shift+F10 opens the context menu (lib/job-menu.ts lists the same keys).
 */
export function useQueueShortcuts(enabled: boolean, handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      const h = ref.current;
      const mod = e.ctrlKey || e.metaKey;
      let handled = true;
      if (e.altKey && e.key === 'ArrowUp') h.action('priorityUp');
      else if (e.altKey && e.key === 'ArrowDown') h.action('priorityDown');
      else if (e.key === 'ArrowDown') h.move(1, e.shiftKey);
      else if (e.key === 'ArrowUp') h.move(-1, e.shiftKey);
      else if (e.key === 'PageDown') h.move(20, e.shiftKey);
      else if (e.key === 'PageUp') h.move(-20, e.shiftKey);
      else if (e.key === 'Home') h.move(-Infinity, e.shiftKey);
      else if (e.key === 'End') h.move(Infinity, e.shiftKey);
      else if (mod && e.key.toLowerCase() === 'a') h.selectAll();
      else if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) h.menu();
      else if (mod || e.altKey) handled = false;
      else if (e.key === 'Enter') h.open();
      else if (e.key === 'Escape') h.clear();
      else if (e.key === 'P') h.action('pauseNow');
      else if (e.key === 'p') h.action('pause');
      else if (e.key === 'R') h.action('retry');
      else if (e.key === 'r') h.action('resume');
      else if (e.key === 'x' || e.key === 'X') h.action('cancel');
      else if (e.key === 'd') h.action('duplicate');
      else if (e.key === 'D') h.action('duplicateEdit');
      else if (e.key === 'Q') h.action('requeueAll');
      else if (e.key === 'm' || e.key === 'M') h.action('modify');
      else if (e.key === 'o' || e.key === 'O') h.action('outputFolder');
      else if (e.key === 'C') h.action('copyScene');
      else if (e.key === 'E') h.action('report');
      else if (e.key === 'Delete' || e.key === 'Backspace') h.action('delete');
      else if (e.key === '+' || e.key === '=') h.action('priorityUp');
      else if (e.key === '-' || e.key === '_') h.action('priorityDown');
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
