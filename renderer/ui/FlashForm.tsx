import { useCallback, useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { FlashCompatibility, ImageVerification, StagedImage } from '../../electron/shared/contract';
import type { ErrorPayload } from '../../electron/shared/errors';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { toErrorPayload } from '../service/error-payload';
import { useConsole } from '../store/console-store';
import type { FlashDialogRequest } from '../store/flash-dialog-slice';
import { CompatibilityList } from './CompatibilityList';
import { canTick, flashPlan, initialTicks, type FlashTicks } from './compatibility-plan';
import { verificationText } from './compatibility-text';
import { formatBytes } from './format';
import { InlineError } from './InlineError';

type Staging =
  | { kind: 'none' }
  | { kind: 'reading'; name: string }
  | { kind: 'staged'; image: StagedImage }
  | { kind: 'failed'; error: ErrorPayload };

type Check = { kind: 'none' } | { kind: 'checking' } | { kind: 'checked'; result: FlashCompatibility } | { kind: 'failed'; error: ErrorPayload };

function verificationTone(image: ImageVerification): 'ok' | 'warn' | 'bad' {
  if (image.problems.length > 0) return 'bad';
  return image.signature === 'trusted' ? 'ok' : 'warn';
}

function ImageFacts({ image, verification }: { image: StagedImage; verification: ImageVerification | null }) {
  const t = useT();
  const missing = <span className="muted">{t.flash.noHeader}</span>;
  const kind = verification ? (verification.kind === 'delta-package' && verification.baseVersion ? t.flash.deltaFrom(verification.baseVersion) : t.flash.kind[verification.kind]) : null;
  return (
    <dl className="facts facts-two" aria-label={t.flash.imageHeading}>
      {kind && (
        <>
          <dt>{t.flash.kindLabel}</dt>
          <dd data-fact="kind">{kind}</dd>
        </>
      )}
      <dt>{t.flash.model}</dt>
      <dd data-fact="model">{image.model ?? missing}</dd>
      <dt>{t.flash.hwRevision}</dt>
      <dd data-fact="hwRevision">{image.hwRevision ?? missing}</dd>
      <dt>{t.flash.version}</dt>
      <dd data-fact="version">{image.version ?? missing}</dd>
      {verification?.securityVersion != null && (
        <>
          <dt>{t.flash.securityVersion}</dt>
          <dd data-fact="securityVersion">{verification.securityVersion}</dd>
        </>
      )}
      <dt>{t.flash.size}</dt>
      <dd data-fact="size">
        {formatBytes(image.size)} <span className="muted">{t.flash.exactBytes(image.size)}</span>
      </dd>
      {verification && verification.kind !== 'image' && verification.kind !== 'unreadable' && (
        <>
          <dt>{t.flash.imageSize}</dt>
          <dd data-fact="imageSize">{formatBytes(verification.imageBytes)}</dd>
        </>
      )}
      <dt className="fact-wide">{t.flash.sha256}</dt>
      <dd data-fact="sha256" className="hash">
        {image.sha256}
      </dd>
    </dl>
  );
}

/**
 * Manual flash of one file onto the terminals the dialog was opened for:
 * the file is staged and checked by the engine against each of them, and
 * Start runs one job per ticked terminal the engine would accept.
 */
export function FlashForm({ request, onDone }: { request: FlashDialogRequest; onDone(): void }) {
  const t = useT();
  const { addresses } = request;
  // Re-checked whenever a listed terminal changes state or firmware (another job ends, it goes offline).
  const terminalsKey = useConsole((s) => addresses.map((a) => `${a}:${s.devices[a]?.state.kind}:${s.devices[a]?.info?.firmwareVersion}`).join('|'));
  const online = useConsole((s) => s.connection === 'online');
  const applyJob = useConsole((s) => s.applyJob);
  const selectJob = useConsole((s) => s.selectJob);
  const startBatch = useConsole((s) => s.startBatch);
  const [staging, setStaging] = useState<Staging>({ kind: 'none' });
  const [check, setCheck] = useState<Check>({ kind: 'none' });
  const [ticks, setTicks] = useState<FlashTicks>({});
  const [dragOver, setDragOver] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startErrors, setStartErrors] = useState<{ address: string; error: ErrorPayload }[]>([]);
  const fileId = useId();
  const fileHintId = useId();
  const summaryId = useId();
  const readSeq = useRef(0);

  const readFile = useCallback(async (file: File) => {
    const seq = ++readSeq.current;
    setStartErrors([]);
    setCheck({ kind: 'none' });
    setStaging({ kind: 'reading', name: file.name });
    try {
      const image = await consoleActions.stageImage(file);
      if (seq === readSeq.current) setStaging({ kind: 'staged', image });
    } catch (err) {
      if (seq === readSeq.current) setStaging({ kind: 'failed', error: toErrorPayload(err) });
    }
  }, []);

  useEffect(() => {
    if (request.file) void readFile(request.file);
  }, [request.file, readFile]);

  const stagedId = staging.kind === 'staged' ? staging.image.id : null;
  useEffect(() => {
    if (!stagedId || addresses.length === 0) return;
    let current = true;
    setCheck((c) => (c.kind === 'checked' ? c : { kind: 'checking' }));
    consoleActions.checkFlashCompatibility(stagedId, [...addresses]).then(
      (result) => {
        if (!current) return;
        setCheck({ kind: 'checked', result });
        setTicks((before) => {
          const fresh = initialTicks(result, request.chosen);
          // A tick the technician gave stays while that terminal can still take the file.
          const kept = result.terminals.filter((e) => canTick(e) && before[e.address] !== undefined).map((e) => [e.address, before[e.address]]);
          return { ...fresh, ...Object.fromEntries(kept) };
        });
      },
      (err: unknown) => current && setCheck({ kind: 'failed', error: toErrorPayload(err) }),
    );
    return () => {
      current = false;
    };
  }, [stagedId, terminalsKey, addresses, request.chosen]);

  const result = check.kind === 'checked' ? check.result : null;
  const plan = result ? flashPlan(result, ticks) : [];

  const onDragOver = (event: DragEvent) => {
    if (![...event.dataTransfer.types].includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragOver(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragOver(false);
    const file = event.dataTransfer.files[0];
    if (file) void readFile(file);
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (staging.kind !== 'staged' || plan.length === 0) return;
    setStarting(true);
    setStartErrors([]);
    const startedAt = new Date().toISOString();
    const failures: { address: string; error: ErrorPayload }[] = [];
    const started: string[] = [];
    let firstJob: string | null = null;
    for (const address of plan) {
      try {
        const job = await consoleActions.startFlash(address, staging.image.id);
        applyJob(job);
        firstJob ??= job.id;
        started.push(address);
      } catch (err) {
        failures.push({ address, error: toErrorPayload(err) });
      }
    }
    if (started.length > 1) startBatch({ addresses: started, startedAt, kind: 'manual-flash' });
    if (firstJob) selectJob(firstJob);
    if (failures.length === 0) return onDone();
    setStartErrors(failures);
    setStarting(false);
  };

  const targetVersion = result?.image.version ?? (staging.kind === 'staged' ? staging.image.version : null);
  return (
    <form className={dragOver ? 'flash-form drop-active' : 'flash-form'} onSubmit={start} onDragOver={onDragOver} onDragLeave={() => setDragOver(false)} onDrop={onDrop}>
      <header className="flash-head">
        <h2 id="flash-heading">{t.flash.heading}</h2>
        <p id="flash-description" className="hint">
          {t.flash.dialogDescription}
        </p>
      </header>

      <div className={staging.kind === 'none' ? 'drop-zone' : 'drop-zone drop-zone-compact'}>
        <input id={fileId} className="visually-hidden" type="file" accept=".zup,.bin,.img,application/octet-stream" aria-label={t.flash.fileLabel} aria-describedby={fileHintId} onChange={(e) => e.target.files?.[0] && void readFile(e.target.files[0])} />
        <label htmlFor={fileId} className="btn">
          {staging.kind === 'none' ? t.flash.chooseFile : t.flash.chooseAnother}
        </label>
        <span className="drop-text">{dragOver ? t.flash.dropRelease : t.flash.dropHere}</span>
        <span id={fileHintId} className="hint">
          {t.flash.fileHint}
        </span>
      </div>

      <div className="flash-body" aria-live="polite">
        {staging.kind === 'reading' && (
          <p className="muted">
            {t.flash.reading} <span className="mono">{staging.name}</span>
          </p>
        )}
        {staging.kind === 'failed' && <InlineError error={staging.error} />}
        {staging.kind === 'staged' && (
          <section className="image-card" aria-labelledby="image-heading" data-testid="image-card">
            <h3 id="image-heading">
              {t.flash.imageHeading}: <span className="mono">{staging.image.name}</span>
            </h3>
            {result && (
              <p className={`verification verification-${verificationTone(result.image)}`} data-testid="verification">
                {verificationText(result.image, t)}
              </p>
            )}
            <ImageFacts image={staging.image} verification={result?.image ?? null} />
            {result?.image.problems.map((problem) => <InlineError key={problem.code} error={problem} />)}
          </section>
        )}
        {check.kind === 'checking' && <p className="muted">{t.flash.checking}</p>}
        {check.kind === 'failed' && <InlineError error={check.error} />}
        <CompatibilityList addresses={addresses} entries={result?.terminals ?? null} ticks={ticks} onTick={(address, value) => setTicks((s) => ({ ...s, [address]: value }))} targetVersion={targetVersion} />
        {startErrors.map(({ address, error }) => (
          <div key={address}>
            <p className="start-failed">{t.flash.startFailed(address)}</p>
            <InlineError error={error} />
          </div>
        ))}
      </div>

      <div className="dialog-actions flash-actions">
        <span id={summaryId} className="flash-summary" aria-live="polite">
          {result ? t.flash.summary(plan.length, addresses.length) : ''}
        </span>
        <button type="button" className="btn" onClick={onDone}>
          {t.flash.cancel}
        </button>
        <button type="submit" className="btn btn-primary" aria-describedby={summaryId} disabled={!online || plan.length === 0 || starting || check.kind !== 'checked'}>
          {starting ? t.flash.starting : t.flash.start}
        </button>
      </div>
    </form>
  );
}
