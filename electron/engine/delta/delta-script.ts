/**
 * What a delta says, before compression: a list of control entries and the
 * two byte streams they consume. Entry k = (add, copy, seek): add `add`
 * bytes of the diff stream to the old image at the old cursor (both cursors
 * advance), append `copy` bytes of the extra stream, then move the old cursor
 * by `seek` (may be negative). The sum of add + copy is the new image size.
 */
export interface DeltaScript {
  /** Flattened (add, copy, seek) triples. */
  control: number[];
  diff: Uint8Array;
  extra: Uint8Array;
}

/**
 * Folds entries that add and copy nothing into the seek of the entry before,
 * so every entry but a leading pure seek produces bytes (the applier relies
 * on that to bound the number of entries by the output size).
 */
export function dropEmptyEntries(control: number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < control.length; k += 3) {
    const add = control[k]!;
    const copy = control[k + 1]!;
    const seek = control[k + 2]!;
    if (add + copy === 0 && out.length > 0) out[out.length - 1] = out[out.length - 1]! + seek;
    else out.push(add, copy, seek);
  }
  return out;
}
