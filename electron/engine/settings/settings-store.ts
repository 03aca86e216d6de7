import { rename } from 'node:fs/promises';
import { SettingsUpdateSchema, type SettingsView, type StoredSettings } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { EventHub } from '../service/event-hub';
import { DEFAULT_SETTINGS, loadSettingsFile, settingsPath, writeSettingsFile } from './settings-file';
import { mergeUpdate, toSettingsView } from './merge-update';

/**
 * The console's settings, one JSON file in the data folder: the desktop app,
 * the station and the CLI read the same file because they share the folder.
 * A refused file is reported (`problem`) and kept; defaults apply meanwhile.
 */
export class SettingsStore {
  readonly file: string;
  private settings: StoredSettings = DEFAULT_SETTINGS;
  private problem: ZucError | null = null;
  /** Saves one after the other, so the last request is what ends up on disk. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changedHub = new EventHub<SettingsView>();
  readonly onChanged = this.changedHub.event;

  /** Loads the file at once; `log` hears about a refused file (the message never holds a token). */
  constructor(dataDir: string, private readonly log: (line: string) => void) {
    this.file = settingsPath(dataDir);
    this.reload();
  }

  /** Reads the file again: the desktop app, the station and the CLI may each have saved it since. */
  reload(): SettingsView {
    const loaded = loadSettingsFile(this.file);
    if (loaded.kind === 'refused') {
      this.settings = DEFAULT_SETTINGS;
      // Said once per distinct problem, not on every read.
      if (this.problem?.message !== loaded.error.message) this.log(`${loaded.error.code} ${loaded.error.message}; running with default settings`);
      this.problem = loaded.error;
    } else {
      this.settings = loaded.kind === 'loaded' ? loaded.settings : DEFAULT_SETTINGS;
      this.problem = null;
    }
    return this.view();
  }

  /** The settings in force, token included: for the engine only, never for a user interface. */
  current(): StoredSettings {
    return this.settings;
  }

  view(): SettingsView {
    return toSettingsView(this.settings, this.file, this.problem?.toJSON() ?? null);
  }

  /** Validates and saves a change; rejects with SETTING_REFUSED (field named) or SETTINGS_WRITE_FAILED. */
  update(request: unknown): Promise<SettingsView> {
    const check = SettingsUpdateSchema.safeParse(request);
    if (!check.success) {
      // Issue messages name the rule broken, never the value: a refused token stays out of the message.
      const fields = check.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`);
      return Promise.reject(new ZucError(E.SETTING_REFUSED, fields.join('; ')));
    }
    const run = this.queue.then(async () => {
      // Merged onto what is on disk now, so a change saved by another console process is kept.
      this.reload();
      const next = mergeUpdate(this.settings, check.data);
      if (this.problem) {
        // The user saved over a file we refused: keep theirs beside it rather than lose it.
        const kept = `${this.file}.refused-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        await rename(this.file, kept).catch(() => undefined);
        this.log(`the refused settings file was kept as ${kept}`);
      }
      await writeSettingsFile(this.file, next);
      this.settings = next;
      this.problem = null;
      const view = this.view();
      this.changedHub.fire(view);
      return view;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.changedHub.clear();
  }
}
