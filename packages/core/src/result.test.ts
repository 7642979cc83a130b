import { describe, expect, it, vi } from 'vitest'
import { createAuth } from './create-auth.js'
import { apiKey } from './schemes/api-key.js'
import { httpBasic } from './schemes/http-basic.js'
import { httpBearer } from './schemes/http-bearer.js'
import { createFailure, defaultResponse, toHeaders, type AuthFailure } from './result.js'
import { basic, lightRequest, request } from '../test/support/requests.js'

const failed = (result: { ok: boolean }): AuthFailure => {
  expect(result.ok).toBe(false)
  return result as AuthFailure
}

const schemes = {
  ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', keys: { demo: 'the-demo-key' } }),
  BasicAuth: httpBasic({ users: { ann: 'the-password' } }),
  Opaque: httpBearer({ verify: (t) => (t === 'good' ? { sub: 'x', scopes: ['a'] } : null), scopes: (p) => p.scopes }),
}

describe('failure response (RFC 9457 problem+json)', () => {
  const auth = createAuth({ schemes, security: [{ ApiKeyAuth: [] }, { BasicAuth: [] }, { Opaque: [] }] })

  it('the body has exactly type, title, status, detail and code', async () => {
    const failure = failed(await auth.authenticate(request()))
    const body = (await failure.response.json()) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'status', 'title', 'type'])
    expect(body).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'credentials_missing' })
    expect(body).toEqual(failure.problem)
  })

  it.each([
    [400, 'Bad Request', { 'x-api-key': 'a', authorization: 'Bearer\tx' }],
    [401, 'Unauthorized', { 'x-api-key': 'wrong' }],
  ])('status %i has title %s', async (status, title, headers) => {
    const failure = failed(await auth.authenticate(lightRequest(headers)))
    expect(failure.status).toBe(status)
    expect(failure.problem.title).toBe(title)
  })

  it('403 and 503 titles', async () => {
    expect(failed(await auth.authenticate(request({ authorization: 'Bearer good' }), [{ Opaque: ['b'] }])).problem.title).toBe('Forbidden')
    const down = createAuth({ schemes: { S: { ...schemes.Opaque, verify: () => ({ ok: false, reason: 'unavailable' }) } } })
    const failure = failed(await down.authenticate(request({ authorization: 'Bearer good' }), [{ S: [] }]))
    expect(failure.problem).toMatchObject({ title: 'Service Unavailable', status: 503, code: 'temporarily_unavailable' })
    expect(failure.response.status).toBe(503)
    expect(failure.response.headers.get('retry-after')).toBe('5')
    expect(failure.response.headers.get('www-authenticate')).toBeNull()
  })

  it('the response carries status, problem+json, no-store, Vary and every challenge', async () => {
    const failure = failed(await auth.authenticate(request()))
    const response = failure.response
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('vary')).toBe('X-API-Key, Authorization')
    expect(response.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key", Basic realm="api", charset="UTF-8", Bearer realm="api"')
  })

  it('failure.headers lists WWW-Authenticate as one entry per challenge', async () => {
    const failure = failed(await auth.authenticate(request()))
    expect(failure.headers['WWW-Authenticate']).toEqual(failure.challenges)
    expect(failure.challenges).toHaveLength(3)
  })

  it('the response is built once and reused', async () => {
    const failure = failed(await auth.authenticate(request()))
    expect(failure.response).toBe(failure.response)
  })

  it('no submitted secret appears in the body or headers, for any status', async () => {
    const secrets = ['the-demo-key-x', 'wrong-password-x', 'bad-token-x']
    const requests = [
      request({ 'x-api-key': 'the-demo-key-x' }),
      request({ authorization: basic('ann:wrong-password-x') }),
      request({ authorization: 'Bearer bad-token-x' }),
      lightRequest({ authorization: 'Bearer bad-token-x bad-token-x' }),
      request({ authorization: 'Bearer good' }, 'http://h/p?access_token=bad-token-x'),
    ]
    for (const req of requests) {
      const failure = failed(await auth.authenticate(req, [{ ApiKeyAuth: [] }, { BasicAuth: [] }, { Opaque: ['z'] }]))
      const text = JSON.stringify(failure.headers) + JSON.stringify(failure.problem) + (await failure.response.text())
      for (const secret of [...secrets, 'ann']) expect(text).not.toContain(secret)
    }
  })

  it('a realm with quotes, backslashes or CR/LF is escaped or dropped in WWW-Authenticate', async () => {
    const evil = createAuth({
      realm: 'a"b\\c\r\nSet-Cookie: x=1',
      schemes: { K: apiKey({ in: 'header', name: 'X-Key', keys: { a: 'b' } }), B: httpBasic({ users: { u: 'p' }, realm: 'r"\n' }) },
    })
    const failure = failed(await evil.authenticate(request(), [{ K: [], B: [] }]))
    expect(failure.challenges).toEqual(['APIKey realm="a\\"b\\\\cSet-Cookie: x=1", in="header", name="X-Key"', 'Basic realm="r\\"", charset="UTF-8"'])
    for (const challenge of failure.challenges) expect(challenge).not.toMatch(/[\r\n]/)
    expect(() => failure.response).not.toThrow()
  })

  it('request header values with CR/LF or quotes never reach WWW-Authenticate', async () => {
    const values = ['leak"y', 'leak\r\nSet-Cookie: a=b', 'leak\\', 'Bearer " realm="leak']
    for (const value of values) {
      const failure = failed(await auth.authenticate(lightRequest({ 'x-api-key': value, authorization: `Bearer ${value}`, cookie: `sid=${value}` })))
      expect(failure.challenges).toHaveLength(3)
      for (const challenge of failure.challenges) {
        expect(challenge).not.toMatch(/[\r\n]/)
        expect(challenge).not.toContain('leak')
        expect(challenge).not.toContain('Set-Cookie')
      }
    }
  })
})

describe('renderError', () => {
  it('replaces the default response and gets the failure without a response', async () => {
    const render = vi.fn((failure: Omit<AuthFailure, 'response'>) => new Response(`custom ${failure.status} ${failure.code}`, { status: failure.status, headers: { 'x-custom': '1' } }))
    const auth = createAuth({ schemes, renderError: render })
    const failure = failed(await auth.authenticate(request({ 'x-api-key': 'nope' }), [{ ApiKeyAuth: [] }]))
    expect(render).not.toHaveBeenCalled()
    const response = failure.response
    expect(await response.text()).toBe('custom 401 invalid_token')
    expect(response.headers.get('x-custom')).toBe('1')
    expect(render).toHaveBeenCalledTimes(1)
    expect(render.mock.calls[0]![0]).toMatchObject({ status: 401, code: 'invalid_token', scheme: 'ApiKeyAuth' })
    expect('response' in render.mock.calls[0]![0]).toBe(false)
    void failure.response
    expect(render).toHaveBeenCalledTimes(1)
  })

  it('can reuse the default headers through toHeaders', async () => {
    const auth = createAuth({ schemes, renderError: (f) => new Response('no', { status: f.status, headers: toHeaders(f.headers) }) })
    const failure = failed(await auth.authenticate(request(), [{ ApiKeyAuth: [] }, { BasicAuth: [] }]))
    expect(failure.response.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key", Basic realm="api", charset="UTF-8"')
    expect(await failure.response.text()).toBe('no')
  })

  it('does not change the failure value (status, problem, headers)', async () => {
    const auth = createAuth({ schemes, renderError: () => new Response('x', { status: 418 }) })
    const failure = failed(await auth.authenticate(request(), [{ ApiKeyAuth: [] }]))
    expect(failure.status).toBe(401)
    expect(failure.problem.status).toBe(401)
    expect(failure.response.status).toBe(418)
  })
})

describe('createFailure and helpers', () => {
  const base = { status: 503 as const, code: 'temporarily_unavailable' as const, scheme: 'S', detail: 'd', challenges: [], vary: [], render: undefined }

  it('Retry-After ignores a non-finite value and uses 5', () => {
    expect(createFailure({ ...base, retryAfter: Number.NaN }).headers['Retry-After']).toBe('5')
    expect(createFailure({ ...base, retryAfter: Number.POSITIVE_INFINITY }).headers['Retry-After']).toBe('5')
  })

  it('no Retry-After outside 503, no Vary when there is nothing to vary on', () => {
    const failure = createFailure({ ...base, status: 401, code: 'invalid_token' })
    expect(failure.headers['Retry-After']).toBeUndefined()
    expect(failure.headers.Vary).toBeUndefined()
  })

  it('toHeaders appends one WWW-Authenticate entry per challenge', () => {
    const headers = toHeaders({ 'WWW-Authenticate': ['A realm="1"', 'B realm="2"'], 'X-One': 'v' })
    expect(headers.get('www-authenticate')).toBe('A realm="1", B realm="2"')
    expect(headers.get('x-one')).toBe('v')
  })

  it('toHeaders leaves Content-Type out (it is for custom bodies) and keeps WWW-Authenticate, Vary, Cache-Control and Retry-After', () => {
    const failure = createFailure({ ...base, challenges: ['Bearer realm="api"'], vary: ['Authorization'], retryAfter: 7 })
    const headers = toHeaders(failure.headers)
    expect(headers.get('content-type')).toBeNull()
    expect(headers.get('www-authenticate')).toBe('Bearer realm="api"')
    expect(headers.get('vary')).toBe('Authorization')
    expect(headers.get('cache-control')).toBe('no-store')
    expect(headers.get('retry-after')).toBe('7')
    expect(toHeaders({ 'content-type': 'application/problem+json', 'X-One': 'v' }).get('content-type')).toBeNull()
    // failure.headers stays the plain description of the default problem+json response.
    expect(failure.headers['Content-Type']).toBe('application/problem+json')
    expect(failure.response.headers.get('content-type')).toBe('application/problem+json')
  })

  it('defaultResponse serializes the problem', async () => {
    const failure = createFailure({ ...base, status: 401, code: 'invalid_token' })
    const response = defaultResponse(failure)
    expect(await response.json()).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'd', code: 'invalid_token' })
  })
})
