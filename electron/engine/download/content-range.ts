import { E, ZucError } from '../../shared/errors';

export interface ContentRange {
  first: number;
  last: number;
  /** Size of the whole file; undefined when the server wrote `*`. */
  total: number | undefined;
}

/** `Content-Range: bytes FIRST-LAST/TOTAL` of a 206 (RFC 9110 §14.4); anything else is MALFORMED. */
export function parseContentRange(value: string | undefined, where: string): ContentRange {
  const match = /^bytes (\d{1,16})-(\d{1,16})\/(\d{1,16}|\*)$/.exec(value?.trim() ?? '');
  if (!match) throw new ZucError(E.DOWNLOAD_MALFORMED_RESPONSE, `${where}: Content-Range "${(value ?? '(none)').slice(0, 60)}"`);
  const first = Number(match[1]);
  const last = Number(match[2]);
  const total = match[3] === '*' ? undefined : Number(match[3]);
  if (last < first || (total !== undefined && last >= total)) throw new ZucError(E.DOWNLOAD_MALFORMED_RESPONSE, `${where}: Content-Range "${value}" is impossible`);
  return { first, last, total };
}
