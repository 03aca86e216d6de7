import type { DeviceView } from '../../electron/shared/contract';
import { useErrorText } from '../i18n/error-text';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import { connectionOf } from './terminal-connection';

/** The Connection cell: how the terminal is wired (USB, serial port, TCP) and whether it can take work now. */
export function TerminalConnection({ device }: { device: DeviceView }) {
  const t = useT();
  const textOf = useErrorText();
  const selectJob = useConsole((s) => s.selectJob);
  const { state } = device;
  const link = connectionOf(device.address, device.info);
  return (
    <td className="terminal-connection" data-transport={link.kind}>
      <span className="terminal-link">
        <span className={`tag tag-transport tag-transport-${link.kind}`} title={t.terminals.transportHint[link.kind]}>
          {t.terminals.transport[link.kind]}
        </span>
        {state.kind === 'busy' ? (
          <button type="button" className="tag-button tag tag-state-busy" onClick={() => selectJob(state.jobId)}>
            {t.deviceState.busy}
          </button>
        ) : (
          <span className={`tag tag-state-${state.kind}`} title={state.kind === 'offline' ? `${state.error.code} ${textOf(state.error).title}` : undefined}>
            {t.deviceState[state.kind]}
          </span>
        )}
      </span>
      {link.where && <span className="terminal-link-where">{link.where}</span>}
      {state.kind === 'offline' && (
        <span className="state-detail">
          <code>{state.error.code}</code> {textOf(state.error).title}
        </span>
      )}
    </td>
  );
}
