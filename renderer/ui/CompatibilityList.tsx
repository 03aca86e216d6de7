import { useId } from 'react';
import type { TerminalCompatibility } from '../../electron/shared/contract';
import { useErrorText } from '../i18n/error-text';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import { canTick, type FlashTicks } from './compatibility-plan';
import { issueText } from './compatibility-text';

const STATUS_TAG = { compatible: 'tag-ok', warning: 'tag-warn', error: 'tag-bad' } as const;

function CompatibilityRow({ address, entry, ticked, onTick, targetVersion }: { address: string; entry: TerminalCompatibility | null; ticked: boolean; onTick(value: boolean): void; targetVersion: string | null }) {
  const t = useT();
  const textOf = useErrorText();
  const info = useConsole((s) => s.devices[address]?.info ?? null);
  const reasonsId = useId();
  const name = info ? `${info.model} ${info.serial}` : address;
  const status = entry?.status ?? null;
  const change = entry?.fromVersion && entry.targetSlot && targetVersion ? t.flash.fromTo(entry.fromVersion, targetVersion, entry.targetSlot) : (info?.firmwareVersion ?? t.none);
  return (
    <li className={`compat-row${status ? ` compat-${status}` : ''}`} data-address={address} data-status={status ?? 'unchecked'}>
      <input
        type="checkbox"
        aria-label={t.flash.selectTerminal(name)}
        aria-describedby={entry && entry.issues.length > 0 ? reasonsId : undefined}
        checked={entry !== null && canTick(entry) && ticked}
        disabled={entry === null || !canTick(entry)}
        onChange={(e) => onTick(e.target.checked)}
      />
      <div className="compat-terminal">
        {info ? (
          <>
            <span className="model">{info.model}</span>
            <span className="serial">{info.serial}</span>
            <span className="muted"> · {t.flash.hwRevision} {info.hwRevision}</span>
          </>
        ) : (
          <span className="muted">{t.terminals.unidentified}</span>
        )}
        <span className="address">{address}</span>
      </div>
      <div className="compat-change">{change}</div>
      <div className="compat-status">{status && <span className={`tag ${STATUS_TAG[status]}`}>{t.flash.status[status]}</span>}</div>
      {entry && entry.issues.length > 0 && (
        <ul id={reasonsId} className="compat-issues">
          {entry.issues.map((issue, i) => (
            <li key={`${issue.kind}-${i}`} className={`compat-issue issue-${issue.severity}`} data-kind={issue.kind}>
              {issue.error && (
                <>
                  <code title={textOf(issue.error).title}>{issue.error.code}</code>{' '}
                </>
              )}
              {issueText(issue, t)}
              {issue.kind === 'package-refused' && issue.error && <span className="muted"> {textOf(issue.error).title}</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * Every terminal the dialog was opened for, drive-selector style: a tick,
 * the terminal, the version change, and the engine's verdict with its
 * reasons. A terminal that cannot take the file cannot be ticked.
 */
export function CompatibilityList({
  addresses,
  entries,
  ticks,
  onTick,
  targetVersion,
}: {
  addresses: readonly string[];
  entries: readonly TerminalCompatibility[] | null;
  ticks: FlashTicks;
  onTick(address: string, value: boolean): void;
  targetVersion: string | null;
}) {
  const t = useT();
  const byAddress = new Map(entries?.map((e) => [e.address, e]));
  return (
    <section className="compat" aria-labelledby="compat-heading">
      <h3 id="compat-heading">{t.flash.terminalsHeading(addresses.length)}</h3>
      {addresses.length === 0 ? (
        <p className="muted">{t.flash.noTerminals}</p>
      ) : (
        <>
          <p className="hint">{entries ? t.flash.terminalsHint : t.flash.pickFileFirst}</p>
          <ul className="compat-list">
            {addresses.map((address) => (
              <CompatibilityRow
                key={address}
                address={address}
                entry={byAddress.get(address) ?? null}
                ticked={ticks[address] === true}
                onTick={(value) => onTick(address, value)}
                targetVersion={targetVersion}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
