function add(out: string[], scope: unknown): void {
  if (typeof scope === 'string' && scope.length > 0 && !out.includes(scope)) out.push(scope)
}

/**
 * The scopes a claims set grants, read from the named claims in order and merged without
 * duplicates: a string is space-separated (`scope`, RFC 6749 §3.3 / RFC 9068), an array holds
 * one scope per string item (`scp`, `permissions`); other values grant nothing.
 */
export function scopesFromClaims(claims: Readonly<Record<string, unknown>>, names: readonly string[]): string[] {
  const out: string[] = []
  for (const name of names) {
    const value = claims[name]
    if (typeof value === 'string') for (const scope of value.split(' ')) add(out, scope)
    else if (Array.isArray(value)) for (const scope of value) add(out, scope)
  }
  return out
}
