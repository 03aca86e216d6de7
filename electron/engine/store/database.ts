import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { E, ZucError } from '../../shared/errors';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** File name of the console's one database inside the user data folder. */
export const DATABASE_FILE = 'zuc.db';

/**
 * Opens (creating on first run) the database in `dataDir` and brings its
 * schema up to date. A database newer than this console is refused rather
 * than written with assumptions that may no longer hold.
 */
export function openDatabase(dataDir: string): Db {
  let db: Db;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    db = new Database(path.join(dataDir, DATABASE_FILE));
    // Two processes (CLI and station) may share the file; wait instead of failing at once.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    throw new ZucError(E.DATABASE, `${path.join(dataDir, DATABASE_FILE)}: ${(err as Error).message}`, { cause: err });
  }
  try {
    migrate(db);
  } catch (err) {
    db.close();
    throw err instanceof ZucError ? err : new ZucError(E.DATABASE, (err as Error).message, { cause: err });
  }
  return db;
}

function migrate(db: Db): void {
  // IMMEDIATE takes the write lock before reading the version, so two consoles starting
  // together (the desktop app and a CLI run) cannot both run the same migration.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new ZucError(E.DATABASE, `schema version ${current} is newer than this console knows (${MIGRATIONS.length}); update the console`);
    }
    for (let version = current; version < MIGRATIONS.length; version++) db.exec(MIGRATIONS[version]!);
    if (current < MIGRATIONS.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
