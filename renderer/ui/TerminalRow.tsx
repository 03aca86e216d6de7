import { useState } from 'react';
import type { SlotInfo, SlotName } from '../../electron/shared/contract';
import { useErrorText } from '../i18n/error-text';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { useConsole } from '../store/console-store';
import { AvailableUpdate } from './AvailableUpdate';
import { ConfirmDialog } from './ConfirmDialog';

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
  const textOf = useErrorText();
  const selected = useConsole((s) => s.selectedAddresses.includes(address));
  const toggleSelected = useConsole((s) => s.toggleSelected);
  const device = useConsole((s) => s.devices[address]);
  const online = useConsole((s) => s.connection === 'online');
  const openFlashDialog = useConsole((s) => s.openFlashDialog);
  const selectJob = useConsole((s) => s.selectJob);
  const [refreshing, setRefreshing] = useState(false);
  const [confirming, setConfirming] = useState<'rollback' | 'reboot' | null>(null);
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
      <td>
        {state.kind === 'busy' ? (
          <button type="button" className="tag-button tag tag-state-busy" onClick={() => selectJob(state.jobId)}>
            {t.deviceState.busy}
          </button>
        ) : (
          <span className={`tag tag-state-${state.kind}`} title={state.kind === 'offline' ? `${state.error.code} ${textOf(state.error).title}` : undefined}>
            {t.deviceState[state.kind]}
          </span>
        )}
        {state.kind === 'offline' && (
          <span className="state-detail">
            <code>{state.error.code}</code> {textOf(state.error).title}
          </span>
        )}
      </td>
      <td>
        <AvailableUpdate address={address} />
      </td>
      <td className="actions">
        <button
          type="button"
          className="btn btn-primary"
          aria-label={t.terminals.flashLabel(name)}
          disabled={!online || state.kind !== 'ready' || !info}
          onClick={() => openFlashDialog(address)}
        >
          {t.terminals.flash}
        </button>
        {info && (
          <button type="button" className="btn btn-quiet" aria-label={t.terminals.rollbackLabel(name)} disabled={!canRollBack} onClick={() => setConfirming('rollback')}>
            {t.terminals.rollback}
          </button>
        )}
        {info && (
          <button
            type="button"
            className="btn btn-quiet"
            aria-label={t.terminals.rebootLabel(name)}
            disabled={!online || state.kind !== 'ready'}
            onClick={() => setConfirming('reboot')}
          >
            {t.terminals.reboot}
          </button>
        )}
        <button
          type="button"
          className="btn btn-quiet"
          aria-label={t.terminals.refreshLabel(name)}
          disabled={!online || refreshing || state.kind === 'busy'}
          onClick={refresh}
        >
          {t.terminals.refresh}
        </button>
        <button
          type="button"
          className="btn btn-quiet"
          aria-label={t.terminals.removeLabel(name)}
          disabled={!online || state.kind === 'busy'}
          // The engine confirms with onDeviceRemoved; a failure leaves the row as it is.
          onClick={() => void consoleActions.removeTerminal(address).catch(() => undefined)}
        >
          {t.terminals.remove}
        </button>
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
