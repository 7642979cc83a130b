/**
 * Set an own, enumerable property, also for keys such as `__proto__` that plain assignment
 * would turn into a prototype change (names in documents are data, never object internals).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
