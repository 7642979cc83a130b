import { expect, it } from 'vitest'
import type { GuideHarness } from './harness.js'

interface Failure {
  ok: false
  status: number
  headers: Readonly<Record<string, string | readonly string[]>>
  response: Response
}
interface Auth {
  authenticate(request: Request, requirement: unknown): Promise<Failure | { ok: true }>
}
interface App {
  request(path: string, init?: RequestInit): Promise<Response>
}

/**
 * Lane i10 (issue 10) makes `toHeaders` leave `Content-Type` out and makes `{}` fail closed on a
 * presented bad credential. Until that lands in this branch these two checks fail, and are
 * declared so with `it.fails` (which fails if they pass): switch them to `it` with that change.
 */
const pendingIssue10 = it.fails

export const harness: GuideHarness = {
  blocks: {
    'Your own error body: `renderError`': {},
    'Optional auth: `{}`': {},
  },
  behaviour(load) {
    it('renderError: the custom JSON body, with WWW-Authenticate, Vary and Cache-Control kept', async () => {
      const { auth } = await load<{ auth: Auth }>('Your own error body: `renderError`')
      const missing = (await auth.authenticate(new Request('http://localhost/'), [{ ApiKeyAuth: [] }])) as Failure
      expect(missing.status).toBe(401)
      const response = missing.response
      expect(await response.json()).toEqual({ error: { status: 401, code: 'credentials_missing', message: expect.any(String) as string } })
      expect(response.headers.get('content-type')).toBe('application/json')
      expect(response.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key"')
      expect(response.headers.get('vary')).toBe('X-API-Key')
      expect(response.headers.get('cache-control')).toBe('no-store')
      const wrong = (await auth.authenticate(new Request('http://localhost/', { headers: { 'x-api-key': 'nope' } }), [{ ApiKeyAuth: [] }])) as Failure
      expect(await wrong.response.json()).toMatchObject({ error: { status: 401, code: 'invalid_token' } })
    })

    pendingIssue10('toHeaders leaves Content-Type out of what it copies (the guide says so)', async () => {
      const { auth } = await load<{ auth: Auth }>('Your own error body: `renderError`')
      const { toHeaders } = await import('@authspec/core')
      const failure = (await auth.authenticate(new Request('http://localhost/'), [{ ApiKeyAuth: [] }])) as Failure
      const headers = toHeaders(failure.headers)
      expect(headers.has('content-type')).toBe(false)
      expect(headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key"')
    })

    it('optional auth: a valid session is alternative 0, no credentials the public alternative 1', async () => {
      const { app } = await load<{ app: App }>('Optional auth: `{}`')
      const signedIn = await app.request('/feed', { headers: { authorization: 'Bearer session-token-1' } })
      expect(signedIn.status).toBe(200)
      expect(await signedIn.json()).toEqual({ feed: 'for ann' })
      const anonymous = await app.request('/feed')
      expect(anonymous.status).toBe(200)
      expect(await anonymous.json()).toEqual({ feed: 'public' })
    })

    pendingIssue10('optional auth: a credential that was sent and is bad fails the request (401, 400), it is not taken as anonymous', async () => {
      const { app } = await load<{ app: App }>('Optional auth: `{}`')
      const rejected = await app.request('/feed', { headers: { authorization: 'Bearer expired-or-unknown' } })
      expect(rejected.status).toBe(401)
      expect(rejected.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"')
      const malformed = await app.request('/feed', { headers: { authorization: 'Bearer a b' } })
      expect(malformed.status).toBe(400)
    })
  },
}
