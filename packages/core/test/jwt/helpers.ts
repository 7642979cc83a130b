import { createHmac } from 'node:crypto'
import { createAuth } from '../../src/create-auth.js'
import type { AuthFailure, AuthResult } from '../../src/result.js'
import type { AnyScheme, RequestLike } from '../../src/types.js'

/** A light request with a bearer token (or any headers). */
export function bearerRequest(token: string | undefined, headers: Record<string, string> = {}, url = '/pets'): RequestLike {
  const map = new Map<string, string>()
  if (token !== undefined) map.set('authorization', `Bearer ${token}`)
  for (const [name, value] of Object.entries(headers)) map.set(name.toLowerCase(), value)
  return { method: 'GET', url, headers: { get: (name: string) => map.get(name.toLowerCase()) ?? null } }
}

/** Authenticate one token against one scheme named `S` with the given scopes. */
export function authenticator(scheme: AnyScheme, scopes: string[] = []): (token: string | undefined) => Promise<AuthResult> {
  const auth = createAuth({ schemes: { S: scheme } })
  const requirement = auth.prepare([{ S: scopes }])
  return (token) => auth.authenticate(bearerRequest(token), requirement) as Promise<AuthResult>
}

/** Assert a failure and return it. */
export function failed(result: AuthResult): AuthFailure {
  if (result.ok) throw new Error(`expected a failure, got success ${JSON.stringify(result.principals)}`)
  return result
}

export function b64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url')
}

/**
 * An HS256 token over raw header and payload text (no JSON re-encoding: `1e400`, arrays and
 * broken JSON survive), correctly signed with `secret`.
 */
export function rawHs256(header: string, payload: string, secret: string): string {
  const input = `${b64url(header)}.${b64url(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

export const now = (): number => Math.floor(Date.now() / 1000)
