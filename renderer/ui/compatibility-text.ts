import type { CompatibilityIssue, ImageVerification } from '../../electron/shared/contract';
import { en } from '../i18n/en';
import type { Messages } from '../i18n/messages';
import { formatBytes } from './format';

/** One sentence per issue in the page's language, built from the facts the engine sent (never its English detail). */
export function issueText(issue: CompatibilityIssue, t: Messages = en): string {
  if (issue.kind === 'too-large') return t.flash.issue['too-large'](formatBytes(Number(issue.terminal)), formatBytes(Number(issue.image)));
  return t.flash.issue[issue.kind](issue.terminal, issue.image);
}

/** What the signature check found, as the image card's first line. */
export function verificationText(image: ImageVerification, t: Messages = en): string {
  const keys = image.signers.join(', ');
  if (image.signature === 'trusted' || image.signature === 'untrusted' || image.signature === 'revoked') return t.flash.verification[image.signature](keys);
  return t.flash.verification[image.signature];
}
