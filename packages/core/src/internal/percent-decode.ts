/**
 * Decode percent-encoding when it is valid, else keep the text as it is (never throws): for
 * cookie values and path segments, where a stray `%` is data rather than an error.
 */
export function percentDecodeOrKeep(value: string): string {
  if (value.indexOf('%') === -1) return value
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
