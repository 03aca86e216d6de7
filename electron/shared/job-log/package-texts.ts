import { z } from 'zod';
import { logEntry } from './log-entry';

const SHA = '2d8f4a6c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f1a2c4e6b8d0f3a5c7e9b1d2f';

/** What the package checks found, beyond pass or refuse: which base a delta has, whether anti-rollback was checked, what development mode let through. */
export const PACKAGE_TEXTS = {
  'delta-source-matches': logEntry(
    z.object({ baseVersion: z.string().nullable(), sha256: z.string() }),
    (a) => `delta from ${a.baseVersion ?? `image ${a.sha256}`}: source image sha256 ${a.sha256}, the terminal's running slot hashes the same`,
    { baseVersion: '1.2.0', sha256: SHA },
  ),
  'delta-on-device': logEntry(
    z.object({ bytes: z.number(), sha256: z.string() }),
    (a) => `delta ${a.bytes} bytes, applied by the terminal: its running slot is the delta's source (sha256 ${a.sha256})`,
    { bytes: 40960, sha256: SHA },
  ),
  'anti-rollback-unchecked': logEntry(
    z.object({ packageSecurityVersion: z.number() }),
    (a) => `the terminal does not report a security version: anti-rollback not checked (package security version ${a.packageSecurityVersion})`,
    { packageSecurityVersion: 4 },
  ),
  'anti-rollback-checked': logEntry(
    z.object({ packageSecurityVersion: z.number(), terminalSecurityVersion: z.number() }),
    (a) => `anti-rollback: package security version ${a.packageSecurityVersion}, terminal ${a.terminalSecurityVersion}`,
    { packageSecurityVersion: 4, terminalSecurityVersion: 4 },
  ),
  'dev-untrusted-key': logEntry(
    z.object({ keyIds: z.array(z.string()) }),
    (a) => `DEVELOPMENT MODE: accepting a package signed only by untrusted key ${a.keyIds.join(', ')}`,
    { keyIds: ['7f3a9c01'] },
  ),
  'dev-unsigned': logEntry(z.object({}), () => 'DEVELOPMENT MODE: accepting an UNSIGNED package; its origin is unknown', {}),
};

/** The warnings a package verifier in development mode gives for what it accepted anyway. */
export type DevModeWarningId = 'dev-untrusted-key' | 'dev-unsigned';
