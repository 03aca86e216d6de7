export { openDatabase, DATABASE_FILE, type Db } from './database';
export { JobStore, type JobFacts } from './job-store';
export { DeviceStore, type KnownDevice } from './device-store';
