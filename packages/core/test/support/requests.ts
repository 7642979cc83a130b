import type { RequestLike } from '../../src/types.js'

/**
 * A light request (what adapters pass): any header value, even ones `new Request()` refuses
 * (CR/LF, control characters), with case-insensitive `headers.get`.
 */
export function lightRequest(headers: Record<string, string> = {}, url = '/pets', method = 'GET'): RequestLike {
  const map = new Map<string, string>()
  for (const [name, value] of Object.entries(headers)) map.set(name.toLowerCase(), value)
  return { method, url, headers: { get: (name: string) => map.get(name.toLowerCase()) ?? null } }
}

/** A standard fetch `Request`. */
export function request(headers: Record<string, string> | [string, string][] = {}, url = 'http://localhost/pets'): Request {
  return new Request(url, { headers })
}

/** `Basic` credentials for `user:password`, base64 of the UTF-8 bytes. */
export function basic(userPass: string): string {
  return `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`
}

/** True when `value` holds a C0 control character or DEL. */
export function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return true
  }
  return false
}

/** `value` without C0 control characters and DEL. */
export function withoutControls(value: string): string {
  let out = ''
  for (const ch of value) if (!hasControl(ch)) out += ch
  return out
}
