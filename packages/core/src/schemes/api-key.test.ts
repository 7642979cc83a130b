import { describe, expect, it, vi } from 'vitest'
import { createAuth } from '../create-auth.js'
import { apiKey } from './api-key.js'
import { lightRequest, request } from '../../test/support/requests.js'
import type { AuthFailure } from '../result.js'

const headerAuth = createAuth({
  schemes: { ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', keys: { demo: 'k-demo-123', ci: 'k-ci-456' } }) },
  security: [{ ApiKeyAuth: [] }],
})

const failed = (result: { ok: boolean }): AuthFailure => {
  expect(result.ok).toBe(false)
  return result as AuthFailure
}

describe('apiKey in a header', () => {
  it('a valid static key → success with { id } of the matching key', async () => {
    const result = await headerAuth.authenticate(request({ 'x-api-key': 'k-ci-456' }))
    expect(result).toMatchObject({ ok: true, principals: { ApiKeyAuth: { id: 'ci' } }, alternative: 0, scopes: [] })
  })

  it('the header name is matched case-insensitively (HTTP field names)', async () => {
    const result = await headerAuth.authenticate(request({ 'X-Api-KEY': 'k-demo-123' }))
    expect(result.ok).toBe(true)
  })

  it('no header → 401 credentials_missing with an APIKey challenge and no error', async () => {
    const failure = failed(await headerAuth.authenticate(request()))
    expect(failure.status).toBe(401)
    expect(failure.code).toBe('credentials_missing')
    expect(failure.challenges).toEqual(['APIKey realm="api", in="header", name="X-API-Key"'])
  })

  it('an empty header value counts as absent', async () => {
    const failure = failed(await headerAuth.authenticate(lightRequest({ 'x-api-key': '' })))
    expect(failure.code).toBe('credentials_missing')
  })

  it('a wrong key → 401 invalid_token with error="invalid_token"', async () => {
    const failure = failed(await headerAuth.authenticate(request({ 'x-api-key': 'k-demo-124' })))
    expect(failure.status).toBe(401)
    expect(failure.code).toBe('invalid_token')
    expect(failure.challenges).toEqual(['APIKey realm="api", in="header", name="X-API-Key", error="invalid_token"'])
  })

  it('a prefix, an extension or a different case of a key is rejected', async () => {
    for (const key of ['k-demo-12', 'k-demo-1234', 'K-DEMO-123', ' k-demo-123x']) {
      expect((await headerAuth.authenticate(lightRequest({ 'x-api-key': key }))).ok, key).toBe(false)
    }
  })

  it('the header repeated with different values → 400 invalid_request', async () => {
    const failure = failed(await headerAuth.authenticate(request([['x-api-key', 'k-demo-123'], ['x-api-key', 'k-ci-456']])))
    expect(failure.status).toBe(400)
    expect(failure.code).toBe('invalid_request')
    expect(failure.challenges[0]).toContain('error="invalid_request"')
  })

  it('the header repeated with the same value is accepted', async () => {
    const result = await headerAuth.authenticate(request([['x-api-key', 'k-demo-123'], ['x-api-key', 'k-demo-123']]))
    expect(result.ok).toBe(true)
  })

  it('the submitted key never appears in the failure body or headers', async () => {
    for (const key of ['k-demo-124', 'sneaky"\r\nkey']) {
      const failure = failed(await headerAuth.authenticate(lightRequest({ 'x-api-key': key })))
      const text = JSON.stringify(failure.headers) + (await failure.response.text())
      expect(text).not.toContain(key)
      expect(text).not.toContain('sneaky')
    }
  })

  it('verify receives the key and ctx { request, env, scopes }', async () => {
    const verify = vi.fn((key: string, _ctx: unknown) => (key === 'good' ? { owner: 'ann' } : null))
    const auth = createAuth({ schemes: { K: apiKey({ in: 'header', name: 'X-Key', verify }) } })
    const req = request({ 'x-key': 'good' })
    const result = await auth.authenticate(req, [{ K: [] }], { env: { DB: 1 } })
    expect(result).toMatchObject({ ok: true, principals: { K: { owner: 'ann' } } })
    expect(verify).toHaveBeenCalledTimes(1)
    expect(verify.mock.calls[0]![0]).toBe('good')
    expect(verify.mock.calls[0]![1]).toEqual({ request: req, env: { DB: 1 }, scopes: [] })
  })
})

describe('apiKey in the query', () => {
  const auth = createAuth({ schemes: { Q: apiKey({ in: 'query', name: 'api_key', verify: (k) => (k === 'good key' ? { k } : null) }) } })

  it('a valid key (percent/plus-decoded) → success', async () => {
    expect((await auth.authenticate(request({}, 'http://h/p?x=1&api_key=good+key'), [{ Q: [] }])).ok).toBe(true)
    expect((await auth.authenticate(lightRequest({}, '/p?api_key=good%20key'), [{ Q: [] }])).ok).toBe(true)
  })

  it('absent parameter → 401 missing with in="query"', async () => {
    const failure = failed(await auth.authenticate(request({}, 'http://h/p?other=1'), [{ Q: [] }]))
    expect(failure.code).toBe('credentials_missing')
    expect(failure.challenges).toEqual(['APIKey realm="api", in="query", name="api_key"'])
  })

  it('repeated with the same value → accepted; with different values → 400', async () => {
    expect((await auth.authenticate(request({}, 'http://h/p?api_key=good+key&api_key=good%20key'), [{ Q: [] }])).ok).toBe(true)
    const failure = failed(await auth.authenticate(request({}, 'http://h/p?api_key=good+key&api_key=other'), [{ Q: [] }]))
    expect(failure.status).toBe(400)
  })

  it('an empty value counts as absent', async () => {
    expect(failed(await auth.authenticate(request({}, 'http://h/p?api_key='), [{ Q: [] }])).code).toBe('credentials_missing')
  })

  it('invalid percent-encoding → 400 saying so', async () => {
    const failure = failed(await auth.authenticate(request({}, 'http://h/p?api_key=%E0%A4'), [{ Q: [] }]))
    expect(failure.status).toBe(400)
    expect(failure.problem.detail).toContain('percent-encoding')
  })

  it('a query key adds nothing to Vary', () => {
    expect(auth.prepare([{ Q: [] }]).vary).toEqual([])
  })
})

describe('apiKey in a cookie', () => {
  const auth = createAuth({ schemes: { C: apiKey({ in: 'cookie', name: 'sid', keys: { web: 'cookie-secret' } }) } })

  it('a valid cookie → success', async () => {
    expect((await auth.authenticate(request({ cookie: 'a=1; sid=cookie-secret' }), [{ C: [] }])).ok).toBe(true)
  })

  it('a quoted cookie value is unquoted before comparison', async () => {
    expect((await auth.authenticate(request({ cookie: 'sid="cookie-secret"' }), [{ C: [] }])).ok).toBe(true)
  })

  it('cookie names are case-sensitive: SID is not sid', async () => {
    expect(failed(await auth.authenticate(request({ cookie: 'SID=cookie-secret' }), [{ C: [] }])).code).toBe('credentials_missing')
  })

  it('duplicate cookies with different values → 400; with the same value → ok', async () => {
    expect(failed(await auth.authenticate(request({ cookie: 'sid=cookie-secret; sid=other' }), [{ C: [] }])).status).toBe(400)
    expect((await auth.authenticate(request({ cookie: 'sid=cookie-secret; sid=cookie-secret' }), [{ C: [] }])).ok).toBe(true)
  })

  it('two Cookie fields are both read', async () => {
    expect((await auth.authenticate(request([['cookie', 'a=1'], ['cookie', 'sid=cookie-secret']]), [{ C: [] }])).ok).toBe(true)
  })

  it('the challenge names the cookie and Vary lists Cookie', async () => {
    expect(failed(await auth.authenticate(request(), [{ C: [] }])).challenges).toEqual(['APIKey realm="api", in="cookie", name="sid"'])
    expect(auth.prepare([{ C: [] }]).vary).toEqual(['Cookie'])
  })
})

describe('apiKey scopes and OpenAPI', () => {
  it('with a scopes option, a missing scope → 403 insufficient_scope', async () => {
    const auth = createAuth({
      schemes: { K: apiKey({ in: 'header', name: 'X-Key', verify: () => ({ roles: ['read'] }), scopes: (p) => p.roles }) },
    })
    expect((await auth.authenticate(request({ 'x-key': 'a' }), [{ K: ['read'] }])).ok).toBe(true)
    const failure = failed(await auth.authenticate(request({ 'x-key': 'a' }), [{ K: ['admin'] }]))
    expect(failure.status).toBe(403)
    expect(failure.challenges).toEqual(['APIKey realm="api", in="header", name="X-Key", error="insufficient_scope", scope="admin"'])
  })

  it('static keys with a scopes option get the { id } principal', async () => {
    const auth = createAuth({
      schemes: { K: apiKey({ in: 'header', name: 'X-Key', keys: { admin: 'k1', bot: 'k2' }, scopes: (p) => (p.id === 'admin' ? ['admin'] : []) }) },
    })
    expect((await auth.authenticate(request({ 'x-key': 'k1' }), [{ K: ['admin'] }])).ok).toBe(true)
    expect(failed(await auth.authenticate(request({ 'x-key': 'k2' }), [{ K: ['admin'] }])).status).toBe(403)
  })

  it('toOpenAPI emits type, in, name, description and x- extensions', () => {
    const scheme = apiKey({ in: 'cookie', name: 'sid', keys: { a: 'b' }, description: 'Session', extensions: { 'x-internal': true } })
    expect(scheme.toOpenAPI('3.1')).toEqual({ type: 'apiKey', in: 'cookie', name: 'sid', description: 'Session', 'x-internal': true })
  })

  it('a scheme realm is used in its challenge', async () => {
    const auth = createAuth({ realm: 'outer', schemes: { K: apiKey({ in: 'header', name: 'X-Key', keys: { a: 'b' }, realm: 'inner' }) } })
    expect(failed(await auth.authenticate(request(), [{ K: [] }])).challenges).toEqual(['APIKey realm="inner", in="header", name="X-Key"'])
  })
})

describe('apiKey configuration errors (ERR_AUTHSPEC_CONFIG)', () => {
  const config = expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' })
  it.each([
    ['no verify and no keys', { in: 'header', name: 'X-Key' }],
    ['verify that is not a function', { in: 'header', name: 'X-Key', verify: 'yes' }],
    ['both verify and keys', { in: 'header', name: 'X-Key', verify: () => ({}), keys: { a: 'b' } }],
    ['an empty keys object', { in: 'header', name: 'X-Key', keys: {} }],
    ['an empty static key', { in: 'header', name: 'X-Key', keys: { ci: '' } }],
    ['an undefined static key (unset env var)', { in: 'header', name: 'X-Key', keys: { ci: undefined } }],
    ['a header key with a comma (split as repeated fields, never matches)', { in: 'header', name: 'X-Key', keys: { a: 'x,y' } }],
    ['a header key with surrounding whitespace (trimmed, never matches)', { in: 'header', name: 'X-Key', keys: { a: ' xy' } }],
    ['keys given as a string (would become one-character keys)', { in: 'header', name: 'X-Key', keys: 'abc' }],
    ['keys given as an array', { in: 'header', name: 'X-Key', keys: ['abc'] }],
    ['a bad in', { in: 'body', name: 'X-Key', keys: { a: 'b' } }],
    ['a missing in', { name: 'X-Key', keys: { a: 'b' } }],
    ['an empty name', { in: 'query', name: '', keys: { a: 'b' } }],
    ['a header name with a space', { in: 'header', name: 'X Key', keys: { a: 'b' } }],
    ['a header name with CR/LF', { in: 'header', name: 'X-Key\r\nX-Evil', keys: { a: 'b' } }],
    ['a cookie name with "="', { in: 'cookie', name: 'a=b', keys: { a: 'b' } }],
    ['scopes that is not a function', { in: 'header', name: 'X-Key', keys: { a: 'b' }, scopes: ['x'] }],
    ['a realm that is not a string', { in: 'header', name: 'X-Key', keys: { a: 'b' }, realm: 1 }],
    ['an extension key without x-', { in: 'header', name: 'X-Key', keys: { a: 'b' }, extensions: { internal: 1 } }],
  ])('%s', (_label, options) => {
    expect(() => apiKey(options as never)).toThrow(config)
  })

  it('options that are not an object', () => {
    expect(() => apiKey(undefined as never)).toThrow(config)
  })

  it('a query or cookie key may contain commas and spaces (they arrive percent-encoded)', async () => {
    const auth = createAuth({ schemes: { Q: apiKey({ in: 'query', name: 'k', keys: { a: 'x, y' } }) } })
    expect((await auth.authenticate(request({}, 'http://h/p?k=x%2C%20y'), [{ Q: [] }])).ok).toBe(true)
    expect(() => apiKey({ in: 'cookie', name: 'k', keys: { a: 'x, y' } })).not.toThrow()
  })

  it('a query name may be any non-empty string', () => {
    expect(() => apiKey({ in: 'query', name: 'api key[0]', keys: { a: 'b' } })).not.toThrow()
  })
})

describe('apiKey static keys', () => {
  it('compares against every key, even after a match (no early exit)', async () => {
    const scheme = apiKey({ in: 'header', name: 'X-Key', keys: { first: 'k1', second: 'k2', third: 'k3' } })
    // Each comparison reads every character of the presented key once: three keys, three passes.
    const spy = vi.spyOn(String.prototype, 'charCodeAt')
    let reads: number
    try {
      const outcome = await scheme.verify('k1', { request: request(), env: undefined, scopes: [] })
      reads = spy.mock.contexts.filter((context) => String(context) === 'k1').length
      expect(outcome).toMatchObject({ ok: true, principal: { id: 'first' } })
    } finally {
      spy.mockRestore()
    }
    expect(reads).toBe(3 * 'k1'.length)
  })

  it('does not call crypto.subtle while authenticating', async () => {
    const subtle = crypto.subtle
    const spies = (['digest', 'sign', 'verify', 'importKey', 'encrypt', 'decrypt'] as const).map((m) => vi.spyOn(subtle, m))
    try {
      await headerAuth.authenticate(request({ 'x-api-key': 'k-demo-123' }))
      await headerAuth.authenticate(request({ 'x-api-key': 'wrong' }))
      for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    } finally {
      for (const spy of spies) spy.mockRestore()
    }
  })
})
