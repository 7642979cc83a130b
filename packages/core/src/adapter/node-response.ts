import type { AuthFailure } from '../result.js'
import type { ProblemAnswer } from './enforcement.js'
import { varyWith } from './private-response.js'

/** The part of a Node `ServerResponse` the writers use (Express's `res` fits). */
export interface NodeResponseLike {
  statusCode: number
  getHeader(name: string): number | string | string[] | undefined
  setHeader(name: string, value: number | string | readonly string[]): unknown
  end(body?: string | Uint8Array): unknown
}

const PRIVATE = /(?:^|,)\s*(?:private|no-store)\b/i

function appendVary(res: NodeResponseLike, names: readonly string[]): void {
  const current = res.getHeader('Vary')
  const merged = varyWith(current === undefined ? undefined : String(current), names)
  if (merged !== undefined) res.setHeader('Vary', merged)
}

/**
 * Mark a protected Node response before the handler runs: `Vary` on `vary` (the requirement's
 * request headers, joined) and `Cache-Control: private` unless an earlier middleware set a private
 * or `no-store` policy (a shared-cache policy must not leak to an authenticated response).
 */
export function protectNodeResponse(res: NodeResponseLike, vary: string): void {
  if (vary.length > 0) {
    // Most responses have no Vary yet: set it without parsing.
    if (res.getHeader('Vary') === undefined) res.setHeader('Vary', vary)
    else appendVary(res, vary.split(',').map((name) => name.trim()))
  }
  if (!PRIVATE.test(String(res.getHeader('Cache-Control') ?? ''))) res.setHeader('Cache-Control', 'private')
}

/** Answer an authentication failure: its status, headers (`Vary` merged) and problem+json body. */
export function writeFailure(res: NodeResponseLike, failure: AuthFailure): void {
  res.statusCode = failure.status
  const headers = failure.headers
  for (const key in headers) {
    const value = headers[key]!
    if (key === 'Vary') appendVary(res, String(value).split(',').map((name) => name.trim()))
    else res.setHeader(key, value)
  }
  // Node sets Content-Length itself for a body given whole to end().
  res.end(JSON.stringify(failure.problem))
}

/** Answer with a `Response` (an auth's `renderError`): status, headers, every `Set-Cookie`, body. */
export async function writeRendered(res: NodeResponseLike, rendered: Response): Promise<void> {
  const body = new Uint8Array(await rendered.arrayBuffer())
  res.statusCode = rendered.status
  rendered.headers.forEach((value, key) => {
    if (key !== 'set-cookie') res.setHeader(key, value)
  })
  const cookies = rendered.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies)
  res.end(body)
}

/** Answer a problem that is not an authentication failure (404 outside the document, 405). */
export function writeProblem(res: NodeResponseLike, answer: ProblemAnswer): void {
  res.statusCode = answer.status
  for (const [key, value] of Object.entries(answer.headers)) res.setHeader(key, value)
  res.end(answer.body)
}
