import { t } from '../i18n/en';
import { useConsole } from '../store/console-store';
import { AddTerminalForm } from './AddTerminalForm';
import { ConnectionBanner, ConnectionStatusBadge } from './ConnectionStatus';
import { FlashDialog } from './FlashDialog';
import { JobDetail } from './JobDetail';
import { JobList } from './JobList';
import { TerminalList } from './TerminalList';

export function App() {
  const hasJobs = useConsole((s) => s.jobOrder.length > 0);
  return (
    <div className="app">
      <a className="skip-link" href="#terminals">
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
      <main className="layout">
        <section id="terminals" className="panel" aria-labelledby="terminals-heading" tabIndex={-1}>
          <div className="panel-head">
            <h2 id="terminals-heading">{t.terminals.heading}</h2>
            <AddTerminalForm />
          </div>
          <TerminalList />
        </section>
        <div className={hasJobs ? 'jobs-area' : 'jobs-area no-jobs'}>
          <JobList />
          {hasJobs && <JobDetail />}
        </div>
      </main>
      <FlashDialog />
    </div>
  );
}
