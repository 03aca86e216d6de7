/**
 * The fields a refused settings change names, from the catalogued error's
 * detail (`concurrency: Too big…; sources.0.url: expected…`, the station may
 * put `updateSettings: ` in front): field path to its message.
 */
export function refusedFields(detail: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of detail.replace(/^updateSettings:\s*/, '').split(/;\s*/)) {
    const match = /^([A-Za-z]+(?:\.[A-Za-z0-9]+)*):\s*(.*)$/.exec(part.trim());
    if (match && fields[match[1]!] === undefined) fields[match[1]!] = match[2]!;
  }
  return fields;
}

/** The message for a field or anything below it (`serial` also takes `serial.baudRate`). */
export function fieldProblem(fields: Record<string, string>, path: string): string | undefined {
  for (const [key, message] of Object.entries(fields)) if (key === path || key.startsWith(`${path}.`)) return message;
  return undefined;
}
