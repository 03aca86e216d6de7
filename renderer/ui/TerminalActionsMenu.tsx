import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';

export interface TerminalMenuAction {
  key: string;
  /** What the item shows. */
  label: string;
  /** The item's accessible name: names the terminal, so a screen reader (and a spec) can tell fifty rows apart. */
  name: string;
  disabled: boolean;
  onSelect(): void;
}

/** Gap between the trigger and the menu below it. */
const MENU_GAP_PX = 4;

/**
 * The row's less frequent actions behind one "More" button, as a WAI-ARIA menu button:
 * arrow keys, Home and End move between items, Escape or Tab closes it and
 * focus goes back to the button. Disabled items stay focusable so they can be read.
 */
export function TerminalActionsMenu({ label, name, actions }: { label: string; name: string; actions: TerminalMenuAction[] }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [position, setPosition] = useState<{ top: number; right: number } | null>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const focusOnOpen = useRef<'first' | 'last'>('first');
  itemRefs.current.length = actions.length;

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) triggerRef.current?.focus();
  };

  const openMenu = (at: 'first' | 'last') => {
    const rect = triggerRef.current?.getBoundingClientRect();
    // Fixed position: the table scrolls sideways in its own box, which would clip a menu below its last row.
    if (rect) setPosition({ top: rect.bottom + MENU_GAP_PX, right: window.innerWidth - rect.right });
    focusOnOpen.current = at;
    setOpen(true);
  };

  useLayoutEffect(() => {
    if (!open) return;
    const items = itemRefs.current.filter((el): el is HTMLButtonElement => el !== null);
    (focusOnOpen.current === 'first' ? items[0] : items[items.length - 1])?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !triggerRef.current?.contains(target)) close(false);
    };
    // The menu is placed once, where the trigger was: scrolling or resizing would leave it behind.
    const onMove = () => close(false);
    document.addEventListener('pointerdown', onPointerDown);
    window.addEventListener('scroll', onMove, true);
    window.addEventListener('resize', onMove);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      window.removeEventListener('scroll', onMove, true);
      window.removeEventListener('resize', onMove);
    };
  }, [open]);

  const onMenuKeyDown = (e: React.KeyboardEvent) => {
    const items = itemRefs.current.filter((el): el is HTMLButtonElement => el !== null);
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => items[(to + items.length) % items.length]?.focus();
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(items.length - 1);
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') {
      close(true);
      return;
    } else return;
    e.preventDefault();
  };

  return (
    <>
      <button
        ref={triggerRef}
        type="button"
        className="btn btn-quiet terminal-more"
        aria-label={name}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        onClick={() => (open ? close(false) : openMenu('first'))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            openMenu(e.key === 'ArrowDown' ? 'first' : 'last');
          }
        }}
      >
        {label}
        <span className="terminal-more-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <ul ref={menuRef} id={`${id}-menu`} role="menu" aria-label={name} className="terminal-menu" style={position ?? undefined} onKeyDown={onMenuKeyDown}>
          {actions.map((action, i) => (
            <li key={action.key} role="none">
              <button
                ref={(el) => {
                  itemRefs.current[i] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="terminal-menu-item"
                aria-label={action.name}
                aria-disabled={action.disabled || undefined}
                onClick={() => {
                  if (action.disabled) return;
                  close(true);
                  action.onSelect();
                }}
              >
                {action.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
