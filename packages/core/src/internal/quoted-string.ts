/**
 * Render `value` as an RFC 9110 quoted-string for a `WWW-Authenticate` parameter: `"` and `\`
 * are escaped, and CR, LF and every other control character are dropped, so no value can end
 * or split the header.
 */
export function quote(value: string): string {
  let out = '"'
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) continue
    if (c === 0x22 || c === 0x5c) out += '\\'
    out += value[i]
  }
  return out + '"'
}

/** Build one challenge: `Scheme a="1", b="2"`, omitting undefined parameters. */
export function challenge(scheme: string, params: ReadonlyArray<readonly [string, string | undefined]>): string {
  let out = scheme
  let first = true
  for (const [name, value] of params) {
    if (value === undefined) continue
    out += `${first ? ' ' : ', '}${name}=${quote(value)}`
    first = false
  }
  return out
}
