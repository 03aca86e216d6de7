import { z } from 'zod';
import { ErrorPayloadSchema } from './error-payload';

/** Highest number of terminals updated at once a user may configure. */
export const MAX_CONCURRENCY = 64;
export const LANGUAGES = ['en', 'zh-CN'] as const;
export const SERIAL_BAUD_RATES = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000, 1500000, 2000000, 3000000] as const;

const Folder = z.string().trim().min(1).max(4096).refine((p) => !/[\0\n]/.test(p), 'the path contains control characters');
const HttpUrl = z
  .string()
  .trim()
  .max(2048)
  .regex(/^https?:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/i, 'expected an http:// or https:// address without credentials');
const Tenant = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, dot, underscore or dash');
/** What an HTTP Authorization header can carry; hawkBit tokens are shorter. */
const Token = z.string().regex(/^[\x21-\x7e]{1,512}$/, 'printable characters without spaces');
const TcpAddress = z.string().trim().regex(/^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected tcp://HOST:PORT');

const LibrarySource = z.object({ kind: z.literal('library'), folder: Folder });
const CatalogSource = z.object({ kind: z.literal('catalog'), url: HttpUrl });
const HawkbitBase = {
  kind: z.literal('hawkbit'),
  url: HttpUrl,
  tenant: Tenant,
  /** `gateway`: one tenant token for every terminal the console serves; `target`: one terminal's own token. */
  tokenKind: z.enum(['gateway', 'target']).default('gateway'),
  /**
   * Ask the server in the background, at the interval it sets, for every identified
   * terminal, and install what it assigns without a click. Off unless switched on:
   * a bench terminal plugged in for other work must not be flashed unasked.
   */
  poll: z.boolean().default(false),
};

const Common = {
  /** Folder of trusted public keys; null means the data folder's `trust`. */
  trustedKeysFolder: Folder.nullable().default(null),
  /** Terminals updated at the same time. */
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(4),
  serial: z.object({ baudRate: z.union(SERIAL_BAUD_RATES.map((b) => z.literal(b))).default(115200) }).default({ baudRate: 115200 }),
  language: z.enum(LANGUAGES).default('en'),
  /** Terminals reachable over the network, watched like plugged-in ones. */
  tcpTerminals: z.array(TcpAddress).max(256).default([]),
  /** Where update reports (JSON, `Idempotency-Key` header) are POSTed; absent: they wait in the outbox. */
  reportUrl: HttpUrl.optional(),
};

/** The settings file as stored (`settings.json` in the data folder). The token is there, in a file only its owner can read. */
export const StoredSettingsSchema = z.object({
  /** Update sources in priority order: the first that offers an update for a terminal wins. */
  sources: z.array(z.discriminatedUnion('kind', [LibrarySource, CatalogSource, z.object({ ...HawkbitBase, token: Token.optional() })])).max(16).default([]),
  ...Common,
});
export type StoredSettings = z.output<typeof StoredSettingsSchema>;

/** What a user interface sees: never a token, only whether one is set. */
export const SettingsViewSchema = z.object({
  sources: z.array(z.discriminatedUnion('kind', [LibrarySource, CatalogSource, z.object({ ...HawkbitBase, hasToken: z.boolean() })])),
  trustedKeysFolder: Common.trustedKeysFolder,
  concurrency: Common.concurrency,
  serial: Common.serial,
  language: Common.language,
  tcpTerminals: Common.tcpTerminals,
  reportUrl: Common.reportUrl,
  /** Where the settings live, so support can find the file. */
  file: z.string(),
  /** Set when the file on disk was refused and defaults are in force: the catalogued error, field named in its detail. */
  problem: ErrorPayloadSchema.nullable(),
});
export type SettingsView = z.output<typeof SettingsViewSchema>;

/**
 * A change to the settings: fields left out keep their value. For a hawkBit
 * source `token` is a new token, `null` removes it, and leaving it out keeps
 * the token already stored for the same server and tenant (the UI never has it).
 */
export const SettingsUpdateSchema = z.object({
  sources: z
    .array(z.discriminatedUnion('kind', [LibrarySource, CatalogSource, z.object({ ...HawkbitBase, token: Token.nullable().optional() })]))
    .max(16)
    .optional(),
  trustedKeysFolder: Folder.nullable().optional(),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).optional(),
  serial: z.object({ baudRate: z.union(SERIAL_BAUD_RATES.map((b) => z.literal(b))) }).optional(),
  language: z.enum(LANGUAGES).optional(),
  tcpTerminals: z.array(TcpAddress).max(256).optional(),
  /** A new report endpoint; null removes it. */
  reportUrl: HttpUrl.nullable().optional(),
});
export type SettingsUpdate = z.input<typeof SettingsUpdateSchema>;
