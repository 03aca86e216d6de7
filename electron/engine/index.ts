export { createEngine, type Engine, type EngineOptions } from './service/engine';
export { DEFAULT_TIMEOUTS, type EngineTimeouts } from './timeouts';
export { systemClock, type Clock } from './clock';
export { defaultDataDir, APP_DIR_NAME } from './data-dir';
export { DATABASE_FILE } from './store';
