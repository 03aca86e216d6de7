export { SettingsStore } from './settings-store';
export { DEFAULT_SETTINGS, SETTINGS_FILE_MODE, SETTINGS_FILE_NAME, settingsPath, loadSettingsFile, writeSettingsFile, type LoadedSettings } from './settings-file';
