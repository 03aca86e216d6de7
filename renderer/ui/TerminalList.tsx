import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import { TerminalRow } from './TerminalRow';

export function TerminalList() {
  const t = useT();
  const addresses = useConsole((s) => s.deviceOrder);
  const selected = useConsole((s) => s.selectedAddresses);
  const setSelected = useConsole((s) => s.setSelected);
  const allSelected = addresses.length > 0 && addresses.every((a) => selected.includes(a));
  if (addresses.length === 0) return <p className="empty">{t.terminals.empty}</p>;
  return (
    <div className="table-wrap">
      <table className="terminals">
        <thead>
          <tr>
            <th scope="col" className="select-cell">
              <input type="checkbox" aria-label={t.updates.selectAll} checked={allSelected} onChange={() => setSelected(allSelected ? [] : [...addresses])} />
            </th>
            <th scope="col">{t.terminals.columns.terminal}</th>
            <th scope="col">{t.terminals.columns.hwRevision}</th>
            <th scope="col">{t.terminals.columns.slotA}</th>
            <th scope="col">{t.terminals.columns.slotB}</th>
            <th scope="col">{t.terminals.columns.state}</th>
            <th scope="col">{t.updates.availableColumn}</th>
            <th scope="col">
              <span className="visually-hidden">{t.terminals.columns.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {addresses.map((address) => (
            <TerminalRow key={address} address={address} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
