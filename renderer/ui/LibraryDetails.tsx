import { useEffect, useRef, useState } from 'react';
import type { PackageDetails, PackageLocation } from '../../electron/shared/contract';
import type { ErrorPayload } from '../../electron/shared/errors';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { toErrorPayload } from '../service/error-payload';
import { formatBytes } from './format';
import { InlineError } from './InlineError';
import { SIGNATURE_TONE } from './LibrarySignature';
import { ColumnHeads } from './ColumnHeads';

type Loaded = { kind: 'loading' } | { kind: 'loaded'; details: PackageDetails } | { kind: 'failed'; error: ErrorPayload };

const SIGNER_TONE = { trusted: 'tag-ok', revoked: 'tag-bad', unknown: 'tag-warn' } as const;

function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { hour12: false });
}

function Manifest({ details }: { details: PackageDetails }) {
  const t = useT();
  const m = details.manifest;
  const e = details.entry;
  const bytes = (n: number) => `${formatBytes(n)} (${n.toLocaleString('en')} B)`;
  const fact = (key: string, label: string, value: React.ReactNode) => [
    <dt key={`${key}-t`}>{label}</dt>,
    <dd key={`${key}-d`} data-fact={key}>
      {value}
    </dd>,
  ];
  return (
    <>
      {!m && <p className="hint">{t.manifest.catalogOnly}</p>}
      <section aria-labelledby="manifest-summary">
        <h3 id="manifest-summary">{t.manifest.summary}</h3>
        <dl className="facts manifest-facts">
          {fact('packageId', t.manifest.packageId, <span className="mono">{e.packageId}</span>)}
          {fact('type', t.manifest.type, e.type === 'delta' ? t.library.delta : t.library.full)}
          {fact('models', t.manifest.models, e.models.join(', '))}
          {fact('hwRevisions', t.manifest.hwRevisions, e.hwRevisions.map((r) => (r === '*' ? t.library.anyRevision : r)).join(', '))}
          {fact('version', t.manifest.version, <span className="mono">{e.version}</span>)}
          {e.type === 'delta' && fact('baseVersion', t.manifest.baseVersion, <span className="mono">{e.baseVersion ?? t.none}</span>)}
          {fact('securityVersion', t.manifest.securityVersion, details.securityVersion ?? t.none)}
          {m && fact('createdAt', t.manifest.createdAt, <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>)}
          {m && fact('formatVersion', t.manifest.formatVersion, m.formatVersion)}
          {fact('fileSize', t.manifest.fileSize, bytes(e.size))}
          {fact('fileSha256', t.manifest.fileSha256, <span className="hash">{details.fileSha256 ?? t.none}</span>)}
          {fact('source', t.manifest.source, <span className="hash">{e.source}</span>)}
          {fact('location', t.manifest.location, <span className="hash">{e.location}</span>)}
        </dl>
      </section>

      <section aria-labelledby="manifest-signatures">
        <h3 id="manifest-signatures">{t.manifest.signatures}</h3>
        <p className="signature-line">
          <span className={`tag ${SIGNATURE_TONE[e.signature.status]}`} data-testid="manifest-signature">
            {t.library.status[e.signature.status]}
          </span>
        </p>
        {e.signature.signers.length === 0 ? (
          e.signature.status !== 'unchecked' && <p className="muted">{t.manifest.noSignatures}</p>
        ) : (
          <ul className="signers">
            {e.signature.signers.map((s) => (
              <li key={s.keyId} data-key-id={s.keyId}>
                <code>{s.keyId}</code> <span className={`tag ${SIGNER_TONE[s.status]}`}>{t.manifest.signer[s.status]}</span>
              </li>
            ))}
          </ul>
        )}
        {e.signature.error && e.signature.status !== 'trusted' && <InlineError error={e.signature.error} />}
      </section>

      {m && (
        <section aria-labelledby="manifest-partitions">
          <h3 id="manifest-partitions">{t.manifest.partitions}</h3>
          <div className="table-wrap">
            <table className="terminals partitions">
              <ColumnHeads labels={t.manifest.partitionColumns} />
              <tbody>
                {m.partitions.map((p) => (
                  <tr key={p.name} data-partition={p.name}>
                    <th scope="row" className="mono">
                      {p.name}
                    </th>
                    <td className="num">{formatBytes(p.size)}</td>
                    <td>
                      <span className={p.encoding === 'delta' ? 'tag tag-run' : 'tag'}>{t.manifest.encoding[p.encoding]}</span>
                    </td>
                    <td className="num">
                      {formatBytes(p.payloadSize)}
                      <span className="hash pkg-file" title={p.payloadSha256}>
                        {p.payloadSha256}
                      </span>
                    </td>
                    <td className="hash">{p.sha256}</td>
                    <td className="hash">{p.sourceSha256 ? `${p.sourceSha256} (${formatBytes(p.sourceSize ?? 0)})` : t.none}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      <section aria-labelledby="manifest-notes">
        <h3 id="manifest-notes">{t.manifest.releaseNotes}</h3>
        {details.releaseNotes ? <pre className="release-notes">{details.releaseNotes}</pre> : <p className="muted">{t.manifest.noReleaseNotes}</p>}
      </section>
    </>
  );
}

/** The details view of one package: its signed manifest, every field, in a modal that Escape closes. */
export function LibraryDetails({ where, onClose }: { where: PackageLocation | null; onClose(): void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (where && !dialog.open) dialog.showModal();
    if (!where && dialog.open) dialog.close();
    if (!where) return;
    let current = true;
    setLoaded({ kind: 'loading' });
    consoleActions.packageDetails(where).then(
      (details) => current && setLoaded({ kind: 'loaded', details }),
      (err: unknown) => current && setLoaded({ kind: 'failed', error: toErrorPayload(err) }),
    );
    return () => {
      current = false;
    };
  }, [where]);

  const title = loaded.kind === 'loaded' ? (loaded.details.entry.packageId ?? loaded.details.entry.location) : (where?.location ?? '');
  return (
    <dialog ref={ref} className="dialog dialog-wide manifest-dialog" aria-labelledby="manifest-heading" onClose={onClose}>
      {where && (
        <div className="dialog-body">
          <div className="manifest-head">
            <h2 id="manifest-heading">{t.manifest.heading(title)}</h2>
            <button type="button" className="btn" onClick={onClose} autoFocus>
              {t.manifest.close}
            </button>
          </div>
          <div aria-live="polite">
            {loaded.kind === 'loading' && <p className="muted">{t.manifest.loading}</p>}
            {loaded.kind === 'failed' && <InlineError error={loaded.error} />}
          </div>
          {loaded.kind === 'loaded' && <Manifest details={loaded.details} />}
        </div>
      )}
    </dialog>
  );
}
