import type { PreventableEvent } from './electron-ports';

export interface QuitGuard {
  /**
   * For 'close' and 'before-quit': true when the window may close or the
   * app quit now. Otherwise the event is prevented, the user is asked, and
   * `proceed` runs once they chose to quit anyway.
   */
  mayQuit(event: PreventableEvent, proceed: () => void): boolean;
}

/**
 * Closing the console while jobs run stops them: the user decides, once,
 * with the consequences spelled out. One question at a time, however many
 * windows and quit shortcuts fire while it is open.
 */
export function guardQuitDuringJobs(unfinishedJobs: () => number, ask: (running: number) => Promise<boolean>): QuitGuard {
  let confirmed = false;
  let asking = false;
  return {
    mayQuit(event, proceed) {
      const running = unfinishedJobs();
      if (confirmed || running === 0) return true;
      event.preventDefault();
      if (asking) return false;
      asking = true;
      void ask(running)
        .catch(() => false)
        .then((quit) => {
          asking = false;
          if (!quit) return;
          confirmed = true;
          proceed();
        });
      return false;
    },
  };
}
