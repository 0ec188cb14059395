import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuEntry {
  id: string;
  label: string;
  /** Shortcut shown on the right. */
  hint?: string;
  disabled?: boolean;
  /** Tooltip; for a disabled entry, why it is disabled. */
  title?: string;
  danger?: boolean;
  /** A separator above it. */
  group?: boolean;
}

interface Props {
  label: string;
  /** Names the menu and its items (`ID-ENTRY`) for tests; the queue's menu is plain `context-menu`. */
  testId?: string;
  entries: readonly MenuEntry[];
  /** Viewport point of its top-left corner (a right-click, or below a button); kept inside the window. */
  at: { x: number; y: number };
  onSelect(id: string): void;
  onClose(): void;
}

/**
 * A menu as WAI-ARIA's menu pattern has it: role=menu with menuitems, focus on the first enabled
 * item, ↑/↓ (wrapping), Home/End and a typed letter move, Enter/Space choose, Esc and Tab close
 * and give focus back to where it was. Disabled items stay reachable (aria-disabled), so a screen
 * reader hears that they exist and why they are off.
 */
export function Menu({ label, testId = 'context-menu', entries, at, onSelect, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const items = useRef<(HTMLButtonElement | null)[]>([]);
  const [pos, setPos] = useState(at);
  const returnTo = useRef<Element | null>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const { width, height } = el.getBoundingClientRect();
    setPos({ x: Math.max(4, Math.min(at.x, window.innerWidth - width - 4)), y: Math.max(4, Math.min(at.y, window.innerHeight - height - 4)) });
  }, [at]);

  useEffect(() => {
    returnTo.current = document.activeElement;
    const first = entries.findIndex((e) => !e.disabled);
    items.current[first >= 0 ? first : 0]?.focus();
    const onDown = (e: MouseEvent): void => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    const onBlur = (): void => onClose();
    window.addEventListener('mousedown', onDown, true);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('mousedown', onDown, true);
      window.removeEventListener('blur', onBlur);
      if (returnTo.current instanceof HTMLElement && document.contains(returnTo.current)) returnTo.current.focus();
    };
    // Once per opening: the caller mounts a new menu for a new place.
  }, []);

  const focusAt = (index: number): void => {
    const n = entries.length;
    items.current[((index % n) + n) % n]?.focus();
  };
  const current = (): number => items.current.findIndex((el) => el === document.activeElement);

  const onKeyDown = (e: KeyboardEvent): void => {
    // The queue's own keys must not see what the menu handles.
    e.stopPropagation();
    const i = current();
    if (e.key === 'ArrowDown') focusAt(i + 1);
    else if (e.key === 'ArrowUp') focusAt(i < 0 ? -1 : i - 1);
    else if (e.key === 'Home') focusAt(0);
    else if (e.key === 'End') focusAt(-1);
    else if (e.key === 'Escape' || e.key === 'Tab') onClose();
    else if (e.key.length === 1 && /\S/.test(e.key)) {
      const letter = e.key.toLowerCase();
      const order = [...entries.keys()].map((k) => (k + i + 1) % entries.length);
      const hit = order.find((k) => entries[k]!.label.toLowerCase().startsWith(letter));
      if (hit !== undefined) focusAt(hit);
      else return;
    } else return;
    e.preventDefault();
  };

  return (
    <div ref={ref} className="menu" role="menu" aria-label={label} style={{ left: pos.x, top: pos.y }} onKeyDown={onKeyDown} onContextMenu={(e) => e.preventDefault()} data-testid={testId}>
      {entries.map((entry, i) => (
        <div key={entry.id} role="none">
          {entry.group && i > 0 ? <div className="menu-sep" role="separator" /> : null}
          <button
            ref={(el) => {
              items.current[i] = el;
            }}
            type="button"
            role="menuitem"
            tabIndex={-1}
            className={`menu-item ${entry.danger ? 'menu-item-danger' : ''}`}
            aria-disabled={entry.disabled || undefined}
            title={entry.title}
            data-action={entry.id}
            data-testid={`${testId}-${entry.id}`}
            onClick={() => {
              if (entry.disabled) return;
              onClose();
              onSelect(entry.id);
            }}
          >
            <span className="menu-label">{entry.label}</span>
            {entry.hint ? <span className="menu-hint">{entry.hint}</span> : null}
          </button>
        </div>
      ))}
    </div>
  );
}
