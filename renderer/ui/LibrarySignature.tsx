import type { SignatureStatus, SignatureView } from '../../electron/shared/contract';
import { useErrorText } from '../i18n/error-text';
import { useT } from '../i18n/use-t';

/** The tag colour of each status: green only for a package the console would install. */
export const SIGNATURE_TONE: Record<SignatureStatus, string> = {
  trusted: 'tag-ok',
  untrusted: 'tag-warn',
  revoked: 'tag-bad',
  unsigned: 'tag-warn',
  invalid: 'tag-bad',
  unchecked: '',
};

/** A package's signature status with the key that decides it, or the code that refuses it. */
export function LibrarySignature({ signature }: { signature: SignatureView }) {
  const t = useT();
  const textOf = useErrorText();
  const deciding = signature.signers.find((s) => s.status === 'trusted') ?? signature.signers.find((s) => s.status === 'revoked') ?? signature.signers[0];
  return (
    <span className="signature">
      <span className={`tag ${SIGNATURE_TONE[signature.status]}`} data-testid="signature-status">
        {t.library.status[signature.status]}
      </span>
      {deciding && signature.status !== 'invalid' && (
        <span className="pkg-file" data-testid="key-id">
          {t.library.keyId(deciding.keyId)}
        </span>
      )}
      {signature.status === 'invalid' && signature.error && (
        <span className="pkg-file" title={`${textOf(signature.error).title}. ${signature.error.detail}`}>
          <code data-testid="signature-code">{signature.error.code}</code> {textOf(signature.error).title}
        </span>
      )}
    </span>
  );
}
