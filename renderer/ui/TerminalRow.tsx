import { useId, useState } from 'react';
import type { SlotInfo, SlotName } from '../../electron/shared/contract';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { useConsole } from '../store/console-store';
import { AvailableUpdate } from './AvailableUpdate';
import { ConfirmDialog } from './ConfirmDialog';
import { TerminalActionsMenu, type TerminalMenuAction } from './TerminalActionsMenu';
import { TerminalConnection } from './TerminalConnection';
import { newestJobOf, revealTroubleshootLog } from './terminal-log';

function SlotCell({ slot, name, active }: { slot: SlotInfo; name: SlotName; active: boolean }) {
  const t = useT();
  return (
    <td className={active ? 'slot slot-active' : 'slot'} data-slot={name}>
      <span className="slot-version">{slot.version || t.none}</span>
      <span className={`tag tag-slot-${slot.state}`} title={t.terminals.triesLeft(slot.triesLeft)}>
        {t.slotState[slot.state]}
      </span>
      {active && (
        <span className="tag tag-active" aria-label={t.terminals.activeSlotLabel(name)}>
          {t.terminals.activeSlot}
        </span>
      )}
    </td>
  );
}

export function TerminalRow({ address }: { address: string }) {
  const t = useT();
  const selected = useConsole((s) => s.selectedAddresses.includes(address));
  const toggleSelected = useConsole((s) => s.toggleSelected);
  const device = useConsole((s) => s.devices[address]);
  const online = useConsole((s) => s.connection === 'online');
  const openFlashDialog = useConsole((s) => s.openFlashDialog);
  const selectJob = useConsole((s) => s.selectJob);
  const openTerminalLog = useConsole((s) => s.openTerminalLog);
  const [refreshing, setRefreshing] = useState(false);
  const [confirming, setConfirming] = useState<'rollback' | 'reboot' | null>(null);
  const newestJob = useConsole((s) => newestJobOf(address, s.jobOrder, s.jobs));
  const rowId = useId();
  if (!device) return null;
  const { info, state } = device;
  const name = info ? `${info.model} ${info.serial}` : address;
  const other = info ? (info.activeSlot === 'a' ? 'b' : 'a') : null;
  const otherSlot = info && other ? info.slots[other] : null;
  // Only a confirmed other slot can be switched to; the engine refuses anything else too.
  const canRollBack = online && state.kind === 'ready' && otherSlot?.state === 'good' && otherSlot.version !== '';

  const refresh = () => {
    setRefreshing(true);
    // A failed identify shows up as the device's own `offline` state.
    void consoleActions.refreshTerminal(address).catch(() => undefined).finally(() => setRefreshing(false));
  };

  const openLog = () => {
    if (!newestJob) return;
    openTerminalLog(address);
    revealTroubleshootLog();
  };
  const menuActions: TerminalMenuAction[] = [
    ...(info
      ? [
          { key: 'rollback', label: t.terminals.rollback, name: t.terminals.rollbackLabel(name), disabled: !canRollBack, onSelect: () => setConfirming('rollback') },
          { key: 'reboot', label: t.terminals.reboot, name: t.terminals.rebootLabel(name), disabled: !online || state.kind !== 'ready', onSelect: () => setConfirming('reboot') },
        ]
      : []),
    { key: 'refresh', label: t.terminals.refresh, name: t.terminals.refreshLabel(name), disabled: !online || refreshing || state.kind === 'busy', onSelect: refresh },
    {
      key: 'remove',
      label: t.terminals.remove,
      name: t.terminals.removeLabel(name),
      disabled: !online || state.kind === 'busy',
      // The engine confirms with onDeviceRemoved; a failure leaves the row as it is.
      onSelect: () => void consoleActions.removeTerminal(address).catch(() => undefined),
    },
  ];

  return (
    <tr data-address={address} className={selected ? 'selected' : undefined}>
      <td className="select-cell">
        <input type="checkbox" aria-label={t.updates.selectLabel(name)} checked={selected} onChange={() => toggleSelected(address)} />
      </td>
      <th scope="row" className="terminal-name">
        {info ? (
          <>
            <span className="model">{info.model}</span>
            <span className="serial">{info.serial}</span>
          </>
        ) : (
          <span className="muted">{t.terminals.unidentified}</span>
        )}
        <span className="address">{address}</span>
      </th>
      <td>{info?.hwRevision ?? t.none}</td>
      {info ? <SlotCell slot={info.slots.a} name="a" active={info.activeSlot === 'a'} /> : <td>{t.none}</td>}
      {info ? <SlotCell slot={info.slots.b} name="b" active={info.activeSlot === 'b'} /> : <td>{t.none}</td>}
      <TerminalConnection device={device} />
      <td>
        <AvailableUpdate address={address} />
      </td>
      <td className="terminal-actions">
        <div className="terminal-actions-row">
          <button
            type="button"
            className="btn btn-primary"
            aria-label={t.terminals.flashLabel(name)}
            disabled={!online || state.kind !== 'ready' || !info}
            onClick={() => openFlashDialog(address)}
          >
            {t.terminals.flash}
          </button>
          <button
            type="button"
            className="btn btn-quiet"
            aria-label={t.terminals.openLogLabel(name)}
            aria-disabled={!newestJob || undefined}
            aria-describedby={newestJob ? undefined : `${rowId}-no-log`}
            title={newestJob ? undefined : t.terminals.openLogNone}
            onClick={openLog}
          >
            {t.terminals.openLog}
          </button>
          {!newestJob && (
            <span id={`${rowId}-no-log`} className="visually-hidden">
              {t.terminals.openLogNone}
            </span>
          )}
          <TerminalActionsMenu label={t.terminals.moreActions} name={t.terminals.moreActionsLabel(name)} actions={menuActions} />
        </div>
        {confirming === 'rollback' && info && other && otherSlot && (
          <ConfirmDialog
            title={t.terminals.rollbackTitle(name)}
            body={t.terminals.rollbackWhat(otherSlot.version, other, info.firmwareVersion)}
            onConfirm={() => consoleActions.rollbackTerminal(address).then((job) => selectJob(job.id))}
            onClose={() => setConfirming(null)}
          />
        )}
        {confirming === 'reboot' && (
          <ConfirmDialog title={t.terminals.rebootTitle(name)} body={t.terminals.rebootWhat} onConfirm={() => consoleActions.rebootTerminal(address)} onClose={() => setConfirming(null)} />
        )}
      </td>
    </tr>
  );
}
