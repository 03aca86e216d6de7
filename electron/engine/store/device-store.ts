import { TerminalInfoSchema, type TerminalInfo } from '../../shared/contract';
import type { Db } from './database';

export interface KnownDevice {
  address: string;
  /** Last identity the terminal gave; null if it never answered. */
  info: TerminalInfo | null;
  /** When it last answered, or when it was added if it never did. */
  lastSeen: string;
}

/** Terminals the console has been told about, with the last identity each gave. */
export class DeviceStore {
  constructor(private readonly db: Db) {}

  /** Records a terminal; `info: null` (it did not answer) keeps what is known of it. */
  save(device: KnownDevice): void {
    this.db
      .prepare(
        `INSERT INTO devices (address, info_json, last_seen) VALUES (?, ?, ?)
         ON CONFLICT (address) DO UPDATE SET
           info_json = COALESCE(excluded.info_json, devices.info_json),
           last_seen = CASE WHEN excluded.info_json IS NULL THEN devices.last_seen ELSE excluded.last_seen END`,
      )
      .run(device.address, device.info ? JSON.stringify(device.info) : null, device.lastSeen);
  }

  remove(address: string): void {
    this.db.prepare(`DELETE FROM devices WHERE address = ?`).run(address);
  }

  list(): KnownDevice[] {
    const rows = this.db.prepare(`SELECT address, info_json, last_seen FROM devices ORDER BY address`).all() as {
      address: string;
      info_json: string | null;
      last_seen: string;
    }[];
    return rows.map((r) => {
      // A row written by another console version that no longer parses is kept as "never identified".
      const parsed = r.info_json ? TerminalInfoSchema.safeParse(JSON.parse(r.info_json)) : null;
      return { address: r.address, info: parsed?.success ? parsed.data : null, lastSeen: r.last_seen };
    });
  }
}
