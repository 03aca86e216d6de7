import { useCallback, useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { SIGNATURE_STATUSES, type PackageLocation } from '../../electron/shared/contract';
import { useErrorText } from '../i18n/error-text';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { toErrorPayload } from '../service/error-payload';
import { consoleStore, useConsole } from '../store/console-store';
import { InlineError } from './InlineError';
import { LibraryDetails } from './LibraryDetails';
import { LibraryPackageRow } from './LibraryPackageRow';
import { LibrarySources } from './LibrarySources';
import { entryKey, filterLibrary, modelsOf, NO_LIBRARY_FILTER, type LibraryFilter } from './library-filter';
import { ColumnHeads } from './ColumnHeads';

/** Reads the sources' packages again into the store; a failure keeps the last list on screen. */
function reloadLibrary(): Promise<void> {
  const state = consoleStore.getState();
  state.libraryLoadStarted();
  return consoleActions.listPackages().then(
    (listing) => consoleStore.getState().applyLibraryListing(listing),
    (err: unknown) => consoleStore.getState().libraryLoadFailed(toErrorPayload(err)),
  );
}

/** Verifies a package file in the engine and, when it is accepted, lists the library again with it. */
async function importFile(file: File): Promise<void> {
  const { setPackageImport } = consoleStore.getState();
  setPackageImport({ kind: 'verifying', name: file.name });
  try {
    const imported = await consoleActions.importPackage(file);
    setPackageImport({ kind: 'imported', name: file.name, entry: imported.entry, alreadyPresent: imported.alreadyPresent });
    await reloadLibrary();
  } catch (err) {
    setPackageImport({ kind: 'refused', name: file.name, error: toErrorPayload(err) });
  }
}

function hasFiles(event: DragEvent): boolean {
  return [...event.dataTransfer.types].includes('Files');
}

function ImportStatus() {
  const t = useT();
  const textOf = useErrorText();
  const state = useConsole((s) => s.packageImport);
  const setPackageImport = useConsole((s) => s.setPackageImport);
  if (state.kind === 'idle') return null;
  const dismiss = (
    <button type="button" className="btn btn-quiet" onClick={() => setPackageImport({ kind: 'idle' })}>
      {t.library.dismiss}
    </button>
  );
  if (state.kind === 'verifying') return <p className="import-status muted">{t.library.verifying(state.name)}</p>;
  if (state.kind === 'imported') {
    const id = state.entry.packageId ?? state.name;
    return (
      <div className="import-status import-ok" data-testid="import-result">
        <span>{state.alreadyPresent ? t.library.alreadyPresent(id) : t.library.imported(id, state.entry.version ?? '')}</span>
        {dismiss}
      </div>
    );
  }
  return (
    <div className="import-status import-refused" data-testid="import-result">
      <div>
        <p className="import-refused-line">{t.library.refused(state.name)}</p>
        <InlineError error={state.error} />
        <p className="hint" data-testid="import-cause">
          {textOf(state.error).cause}
        </p>
      </div>
      {dismiss}
    </div>
  );
}

function Filters({ filter, onChange, models }: { filter: LibraryFilter; onChange(f: LibraryFilter): void; models: string[] }) {
  const t = useT();
  const id = useId();
  const set = (patch: Partial<LibraryFilter>) => onChange({ ...filter, ...patch });
  return (
    <fieldset className="filters">
      <legend className="visually-hidden">{t.library.filters}</legend>
      <label htmlFor={`${id}-model`}>{t.library.model}</label>
      <select id={`${id}-model`} value={filter.model} onChange={(e) => set({ model: e.target.value })}>
        <option value="">{t.library.anyModel}</option>
        {models.map((m) => (
          <option key={m}>{m}</option>
        ))}
      </select>
      <label htmlFor={`${id}-text`}>{t.library.search}</label>
      <input id={`${id}-text`} type="search" className="library-search" value={filter.text} placeholder={t.library.searchHint} onChange={(e) => set({ text: e.target.value })} />
      <label htmlFor={`${id}-signature`}>{t.library.signatureFilter}</label>
      <select id={`${id}-signature`} value={filter.signature} onChange={(e) => set({ signature: e.target.value as LibraryFilter['signature'] })}>
        <option value="">{t.library.anyStatus}</option>
        {SIGNATURE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t.library.status[s]}
          </option>
        ))}
      </select>
      <button type="button" className="btn btn-quiet" onClick={() => onChange(NO_LIBRARY_FILTER)}>
        {t.library.clear}
      </button>
    </fieldset>
  );
}

/**
 * The Firmware library: every package the configured sources offer, with
 * its signature status; import a package file by the button or by dropping
 * it anywhere on the screen; open one package's manifest.
 */
export function LibraryScreen() {
  const t = useT();
  const online = useConsole((s) => s.connection === 'online');
  const listing = useConsole((s) => s.libraryListing);
  const loading = useConsole((s) => s.libraryLoading);
  const error = useConsole((s) => s.libraryError);
  const importing = useConsole((s) => s.packageImport.kind === 'verifying');
  const justImported = useConsole((s) => (s.packageImport.kind === 'imported' ? entryKey(s.packageImport.entry) : null));
  const [filter, setFilter] = useState<LibraryFilter>(NO_LIBRARY_FILTER);
  const [details, setDetails] = useState<PackageLocation | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const hintId = useId();

  // Read again when the sources or the trusted keys change, here or in another console window.
  const sourcesKey = useConsole((s) => (s.settings ? JSON.stringify([s.settings.sources, s.settings.trustedKeysFolder]) : ''));
  useEffect(() => {
    if (online) void reloadLibrary();
  }, [online, sourcesKey]);

  const importFirst = useCallback((files: FileList | null) => {
    const file = files?.[0];
    if (file) void importFile(file);
  }, []);

  const canImport = online && !importing && Boolean(listing?.importFolder);
  const onDragOver = (event: DragEvent<HTMLElement>) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = canImport ? 'copy' : 'none';
    setDragging(true);
  };
  const onDragLeave = (event: DragEvent<HTMLElement>) => {
    // Leaving for a child element is not leaving the screen.
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
  };
  const onDrop = (event: DragEvent<HTMLElement>) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    setDragging(false);
    if (canImport) importFirst(event.dataTransfer.files);
  };

  const entries = listing?.packages ?? [];
  const shown = filterLibrary(entries, filter);
  return (
    <section className="panel library" aria-labelledby="screen-heading" onDragOver={onDragOver} onDragLeave={onDragLeave} onDrop={onDrop}>
      <div className="panel-head">
        <div>
          <h2 id="screen-heading" tabIndex={-1}>
            {t.library.heading}
          </h2>
          <p className="hint">{t.library.intro}</p>
        </div>
        <div className="library-actions">
          <div className="toolbar">
            {listing && (
              <p className="muted" role="status" data-testid="library-count">
                {t.library.count(shown.length, entries.length)}
              </p>
            )}
            <button type="button" className="btn" disabled={!online || loading} onClick={() => void reloadLibrary()}>
              {loading ? t.library.refreshing : t.library.refresh}
            </button>
            <input ref={fileInput} type="file" accept=".zup" className="visually-hidden" tabIndex={-1} aria-label={t.library.importFile} onChange={(e) => {
              importFirst(e.target.files);
              e.target.value = '';
            }} />
            <button type="button" className="btn btn-primary" disabled={!canImport} aria-describedby={hintId} onClick={() => fileInput.current?.click()}>
              {t.library.importButton}
            </button>
          </div>
          <p id={hintId} className="hint library-import-hint">
            {listing?.importFolder ? t.library.importHint : listing && t.library.noImportFolder}
          </p>
        </div>
      </div>

      <div aria-live="polite">
        <ImportStatus />
      </div>
      {error && <InlineError error={error} />}
      {listing && <LibrarySources sources={listing.sources} importFolder={listing.importFolder} />}
      {listing && entries.length > 0 && <Filters filter={filter} onChange={setFilter} models={modelsOf(entries)} />}

      {!listing ? (
        <p className="empty">{t.library.loading}</p>
      ) : entries.length === 0 ? (
        <p className="empty">{t.library.empty}</p>
      ) : shown.length === 0 ? (
        <p className="empty">{t.library.noMatch}</p>
      ) : (
        <div className="table-wrap">
          <table className="terminals library-table" aria-label={t.library.tableLabel}>
            <ColumnHeads labels={t.library.columns} />
            <tbody>
              {shown.map((entry) => (
                <LibraryPackageRow key={entryKey(entry)} entry={entry} highlighted={entryKey(entry) === justImported} onDetails={() => setDetails({ source: entry.source, location: entry.location })} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {dragging && (
        <div className="drop-overlay library-drop" aria-hidden="true">
          {canImport ? t.library.dropHere : t.library.noImportFolder}
        </div>
      )}
      <LibraryDetails where={details} onClose={() => setDetails(null)} />
    </section>
  );
}
