/**
 * One entry of the error catalog. Codes are stable: support staff, scripts
 * and the update backend key on them. Never renumber an entry; retire it.
 */
export interface ErrorEntry {
  /** Stable code, `ZUC-NNNN`. Ranges: 0 success, 1 input, 2 link, 3 protocol, 4 install, 5 package, 6 download, 7 backend, 9 internal. */
  readonly code: string;
  /** One line, what happened, in the user's terms. */
  readonly title: string;
  /** Why it happens. */
  readonly cause: string;
  /** What the user can do about it. */
  readonly remedy: string;
  /** Whether running the same job again can succeed without changing anything. */
  readonly retryable: boolean;
  /** OMA-DM FUMO result code this maps to. */
  readonly fumo: number;
  /** TR-069 CWMP fault code this maps to (0 for success). */
  readonly tr069: number;
}

/** Declares a group of catalog entries keyed by a symbolic name. */
export function defineErrors<const T extends Record<string, ErrorEntry>>(entries: T): T {
  return entries;
}
