import type { LibrarySourceView } from '../../electron/shared/contract';
import { useErrorText } from '../i18n/error-text';
import { useT } from '../i18n/use-t';

/** How each configured source answered: a source that is down keeps its code here while the others' packages are listed. */
export function LibrarySources({ sources, importFolder }: { sources: LibrarySourceView[]; importFolder: string | null }) {
  const t = useT();
  const textOf = useErrorText();
  if (sources.length === 0) return <p className="hint">{t.library.noSources}</p>;
  return (
    <ul className="library-sources" aria-label={t.library.sourcesLabel}>
      {sources.map((s) => (
        <li key={s.source} className={`library-source library-source-${s.state}`} data-source={s.source} data-state={s.state}>
          <span className="tag tag-source">{t.library.sourceKind[s.kind]}</span>
          <span className="library-source-name" title={s.source}>
            {s.source.slice(s.source.indexOf(':') + 1)}
          </span>
          {s.state === 'ok' && <span className="tag tag-ok">{t.library.sourceOk(s.packages)}</span>}
          {s.kind === 'library' && importFolder !== null && s.source === `library:${importFolder}` && (
            <span className="tag" title={t.library.importTo(importFolder)}>
              {t.library.importTarget}
            </span>
          )}
          {s.state === 'per-terminal' && <span className="tag">{t.library.sourcePerTerminal}</span>}
          {s.state === 'failed' && s.error && (
            <span className="library-source-error" title={`${textOf(s.error).cause} ${s.error.detail}`}>
              <span className="tag tag-bad">{t.library.sourceFailed}</span> <code data-testid="source-code">{s.error.code}</code> {textOf(s.error).title}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
