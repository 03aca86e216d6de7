import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { StagedImage } from '../../electron/shared/contract';
import type { ErrorPayload } from '../../electron/shared/errors';
import { toErrorPayload } from '../service/error-payload';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { useConsole } from '../store/console-store';
import { formatBytes } from './format';
import { imageFitProblems } from './image-fit';
import { InlineError } from './InlineError';

type Staging =
  | { kind: 'none' }
  | { kind: 'reading'; name: string }
  | { kind: 'staged'; image: StagedImage }
  | { kind: 'failed'; error: ErrorPayload };

function ImageFacts({ image }: { image: StagedImage }) {
  const t = useT();
  const missing = <span className="muted">{t.flash.noHeader}</span>;
  return (
    <dl className="facts" aria-label={t.flash.imageHeading}>
      <dt>{t.flash.model}</dt>
      <dd data-fact="model">{image.model ?? missing}</dd>
      <dt>{t.flash.hwRevision}</dt>
      <dd data-fact="hwRevision">{image.hwRevision ?? missing}</dd>
      <dt>{t.flash.version}</dt>
      <dd data-fact="version">{image.version ?? missing}</dd>
      <dt>{t.flash.size}</dt>
      <dd data-fact="size">
        {formatBytes(image.size)} <span className="muted">{t.flash.exactBytes(image.size)}</span>
      </dd>
      <dt>{t.flash.sha256}</dt>
      <dd data-fact="sha256" className="hash">
        {image.sha256}
      </dd>
    </dl>
  );
}

export function FlashForm({ initialAddress, onDone }: { initialAddress: string; onDone(): void }) {
  const t = useT();
  const readyAddresses = useConsole(
    useShallow((s) => s.deviceOrder.filter((a) => s.devices[a]?.state.kind === 'ready' && s.devices[a]?.info)),
  );
  const devices = useConsole((s) => s.devices);
  const applyJob = useConsole((s) => s.applyJob);
  const selectJob = useConsole((s) => s.selectJob);
  const [address, setAddress] = useState(initialAddress);
  const [staging, setStaging] = useState<Staging>({ kind: 'none' });
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<ErrorPayload | null>(null);
  const terminalId = useId();
  const fileId = useId();
  const fileHintId = useId();

  const info = devices[address]?.info ?? null;
  const inactiveSlot = info ? (info.activeSlot === 'a' ? 'b' : 'a') : null;

  const chooseFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setStartError(null);
    if (!file) return setStaging({ kind: 'none' });
    setStaging({ kind: 'reading', name: file.name });
    try {
      setStaging({ kind: 'staged', image: await consoleActions.stageImage(file) });
    } catch (err) {
      setStaging({ kind: 'failed', error: toErrorPayload(err) });
    }
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (staging.kind !== 'staged') return;
    setStarting(true);
    setStartError(null);
    try {
      const job = await consoleActions.startFlash(address, staging.image.id);
      applyJob(job);
      selectJob(job.id);
      onDone();
    } catch (err) {
      setStartError(toErrorPayload(err));
      setStarting(false);
    }
  };

  const problems = staging.kind === 'staged' && info ? imageFitProblems(staging.image, info, t) : [];

  return (
    <form className="flash-form" onSubmit={start}>
      <h2 id="flash-heading">{t.flash.heading}</h2>

      <div className="field">
        <label htmlFor={terminalId}>{t.flash.terminalLabel}</label>
        {readyAddresses.length === 0 ? (
          <p className="muted">{t.flash.noReadyTerminal}</p>
        ) : (
          <select id={terminalId} value={address} onChange={(e) => setAddress(e.target.value)}>
            {readyAddresses.map((a) => {
              const i = devices[a]?.info;
              return (
                <option key={a} value={a}>
                  {i ? t.flash.terminalOption(i.model, i.serial, i.firmwareVersion, a) : a}
                </option>
              );
            })}
          </select>
        )}
      </div>

      <div className="field">
        <label htmlFor={fileId}>{t.flash.fileLabel}</label>
        <input id={fileId} type="file" aria-describedby={fileHintId} onChange={(e) => void chooseFile(e)} />
        <p id={fileHintId} className="hint">
          {t.flash.fileHint}
        </p>
      </div>

      <div aria-live="polite">
        {staging.kind === 'reading' && <p className="muted">{t.flash.reading}</p>}
        {staging.kind === 'failed' && <InlineError error={staging.error} />}
        {staging.kind === 'staged' && (
          <section className="image-card" aria-labelledby="image-heading">
            <h3 id="image-heading">
              {t.flash.imageHeading}: <span className="mono">{staging.image.name}</span>
            </h3>
            <ImageFacts image={staging.image} />
            {problems.map((problem) => (
              <p key={problem} className="warning" role="note">
                {problem}
              </p>
            ))}
            {info && inactiveSlot && <p className="hint">{t.flash.targetSlot(inactiveSlot, info.firmwareVersion)}</p>}
          </section>
        )}
        {startError && <InlineError error={startError} />}
      </div>

      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onDone}>
          {t.flash.cancel}
        </button>
        <button type="submit" className="btn btn-primary" disabled={staging.kind !== 'staged' || starting || !readyAddresses.includes(address)}>
          {starting ? t.flash.starting : t.flash.start}
        </button>
      </div>
    </form>
  );
}
