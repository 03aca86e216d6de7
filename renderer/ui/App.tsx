import { useEffect } from 'react';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import type { Screen } from '../store/nav-slice';
import { AddTerminalForm } from './AddTerminalForm';
import { BatchProgress } from './BatchProgress';
import { ConnectionBanner, ConnectionStatusBadge } from './ConnectionStatus';
import { FlashDialog } from './FlashDialog';
import { FlashDialogDropTarget } from './FlashDialogDropTarget';
import { HistoryScreen } from './HistoryScreen';
import { JobDetail } from './JobDetail';
import { JobList } from './JobList';
import { LibraryScreen } from './LibraryScreen';
import { Nav } from './Nav';
import { SettingsScreen } from './SettingsScreen';
import { TerminalList } from './TerminalList';
import { TroubleshootScreen } from './TroubleshootScreen';
import { UpdatesScreen } from './UpdatesScreen';
import { UpdateToolbar } from './UpdateToolbar';

function TerminalsScreen() {
  const t = useT();
  const hasJobs = useConsole((s) => s.jobOrder.length > 0);
  return (
    <>
      <FlashDialogDropTarget>
        <section id="terminals" className="panel" aria-labelledby="screen-heading">
          <div className="panel-head">
            <h2 id="screen-heading" tabIndex={-1}>
              {t.terminals.heading}
            </h2>
            <AddTerminalForm />
          </div>
          <UpdateToolbar />
          <TerminalList />
        </section>
      </FlashDialogDropTarget>
      <div className={hasJobs ? 'jobs-area' : 'jobs-area no-jobs'}>
        <JobList />
        {hasJobs && <JobDetail />}
      </div>
    </>
  );
}

const SCREEN_VIEWS: Record<Screen, () => React.JSX.Element> = {
  terminals: TerminalsScreen,
  updates: UpdatesScreen,
  library: LibraryScreen,
  history: HistoryScreen,
  troubleshoot: TroubleshootScreen,
  settings: SettingsScreen,
};

export function App() {
  const t = useT();
  const screen = useConsole((s) => s.screen);
  const language = useConsole((s) => s.language);
  const View = SCREEN_VIEWS[screen];

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>{t.app.title}</h1>
          <span className="brand-sub">{t.app.subtitle}</span>
        </div>
        <ConnectionStatusBadge />
      </header>
      <ConnectionBanner />
      <div className="shell">
        <Nav />
        <main id="main" className="layout" tabIndex={-1} data-screen={screen}>
          <View />
        </main>
      </div>
      <FlashDialog />
      <BatchProgress />
    </div>
  );
}
