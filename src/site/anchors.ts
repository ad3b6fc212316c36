/**
 * An element id built from a value of the data (a goal name, a segment value): characters outside
 * `[A-Za-z0-9_-]` are written as `.` and their code in hex, so every value gets a distinct, safe id.
 */
export function anchorId(prefix: string, value: string): string {
  return `${prefix}-${[...value].map((c) => (/[A-Za-z0-9_-]/.test(c) ? c : `.${c.codePointAt(0)!.toString(16)}`)).join('')}`;
}
