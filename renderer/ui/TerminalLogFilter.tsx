import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';

/** The terminal the Troubleshoot log is narrowed to, as a chip that removes the filter. */
export function TerminalLogFilter({ address }: { address: string }) {
  const t = useT();
  const info = useConsole((s) => s.devices[address]?.info);
  const clear = useConsole((s) => s.clearLogTerminal);
  const name = info ? `${info.model} ${info.serial}` : address;
  return (
    <span className="chip" data-filter="terminal" title={address}>
      <span className="chip-text">{t.troubleshoot.terminalFilter(name)}</span>
      <button type="button" className="chip-remove" aria-label={t.troubleshoot.clearTerminalFilter(name)} onClick={clear}>
        <span aria-hidden="true">×</span>
      </button>
    </span>
  );
}
