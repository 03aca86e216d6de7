import type { KeyboardEvent } from 'react';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import { SCREENS, type Screen } from '../store/nav-slice';

/** The screen list: Tab reaches it, arrow keys move between screens, the current one is marked for screen readers. */
export function Nav() {
  const t = useT();
  const screen = useConsole((s) => s.screen);
  const showScreen = useConsole((s) => s.showScreen);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = SCREENS[(SCREENS.indexOf(screen) + step + SCREENS.length) % SCREENS.length] as Screen;
    showScreen(next);
    document.getElementById(`nav-${next}`)?.focus();
  };

  return (
    <nav className="sidenav" aria-label={t.nav.label} onKeyDown={onKeyDown}>
      <ul>
        {SCREENS.map((name) => (
          <li key={name}>
            <button
              type="button"
              id={`nav-${name}`}
              className={name === screen ? 'nav-item current' : 'nav-item'}
              aria-current={name === screen ? 'page' : undefined}
              onClick={() => {
                showScreen(name);
                // A click or Enter takes the reader to the new screen's heading; arrow keys stay in the list.
                setTimeout(() => document.getElementById('screen-heading')?.focus({ preventScroll: true }));
              }}
            >
              {t.nav[name]}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
