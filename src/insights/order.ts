/** Orders strings by their UTF-8 bytes, the order the engine uses for segment values and breakdown names. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * The entry of a record keyed by data values, or undefined. Values come from exports written by anyone, so a
 * value such as `constructor` must not reach an inherited property.
 */
export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
