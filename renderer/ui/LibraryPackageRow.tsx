import type { LibraryEntry } from '../../electron/shared/contract';
import { useT } from '../i18n/use-t';
import { formatBytes } from './format';
import { LibrarySignature } from './LibrarySignature';

/** Digits of a hash shown in a table cell; the details view has the whole of it. */
const SHORT_HASH_CHARS = 8;

/** The server's host: enough to tell catalogs apart in a column; the whole URL is in the tooltip. */
function catalogHost(source: string): string {
  const url = source.slice(source.indexOf(':') + 1);
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** One package of the library table. */
export function LibraryPackageRow({ entry, highlighted, onDetails }: { entry: LibraryEntry; highlighted: boolean; onDetails(): void }) {
  const t = useT();
  const name = entry.packageId ?? entry.location;
  return (
    <tr data-package={entry.packageId ?? ''} data-location={entry.location} data-status={entry.signature.status} className={highlighted ? 'just-imported' : undefined}>
      <th scope="row" className="pkg-name">
        {entry.packageId ? <span className="pkg-id">{entry.packageId}</span> : <span className="pkg-id muted">{t.library.unreadable}</span>}
        {entry.sourceKind === 'library' && <span className="pkg-file">{entry.location}</span>}
      </th>
      <td>{entry.models.length ? entry.models.join(', ') : t.none}</td>
      <td>{entry.hwRevisions.length ? entry.hwRevisions.map((r) => (r === '*' ? t.library.anyRevision : r)).join(', ') : t.none}</td>
      <td className="mono">{entry.version ?? t.none}</td>
      <td data-testid="package-type">
        {entry.type === null ? (
          t.none
        ) : entry.type === 'full' ? (
          <span className="tag">{t.library.full}</span>
        ) : (
          <>
            <span className="tag tag-run">{t.library.delta}</span>{' '}
            {entry.baseVersion && <span className="mono">{t.library.deltaFrom(entry.baseVersion)}</span>}
            {entry.baseSha256 && (
              <span className="pkg-file" title={entry.baseSha256}>
                {t.library.baseHash(`${entry.baseSha256.slice(0, SHORT_HASH_CHARS)}…`)}
              </span>
            )}
          </>
        )}
      </td>
      <td className="num">{formatBytes(entry.size)}</td>
      <td data-testid="signature">
        <LibrarySignature signature={entry.signature} />
      </td>
      <td>
        <span className="tag tag-source" title={entry.source}>
          {t.library.sourceKind[entry.sourceKind]}
        </span>
        {entry.sourceKind === 'catalog' && (
          <span className="pkg-file" title={entry.source}>
            {catalogHost(entry.source)}
          </span>
        )}
        {entry.assignedTo && <span className="pkg-file">{t.library.assignedTo(entry.assignedTo)}</span>}
      </td>
      <td className="actions">
        <button type="button" className="btn btn-small" aria-label={t.library.detailsLabel(name)} onClick={onDetails}>
          {t.library.details}
        </button>
      </td>
    </tr>
  );
}
